"""A coordinator turns the round's high findings into measures from the library, takes one
to verified with evidence, and the systemic view and maturity follow."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.mitigation import queries
from amparo.mitigation.models import Measure
from amparo.mitigation.tests.conftest import add_finding, pdf_upload


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _ok(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    return response.url


def test_from_findings_to_a_verified_measure(world, round_a, threats, controls) -> None:
    from amparo.territory.models import Sector

    add_finding(round_a, threats["TUR-01"], inherent=(5, 5))
    coordinator = world.client("coordinator")
    library = coordinator.get(reverse("measure-library", args=["PE-LOR"])).content.decode()
    assert "TUR-POL-01" in library
    for control in controls.values():
        _ok(coordinator.post(reverse("measure-from-control", args=["PE-LOR", control.pk])))
    policy = Measure.objects.get(kind="policy")
    assert policy.findings.count() == 1

    def maturity() -> str:
        view = queries.systemic_view(
            world.region_a, Measure.objects.all(), Sector.objects.filter(pk=world.sector.pk)
        )
        return view.rows[0].maturity

    assert maturity() == "basic"
    for measure in Measure.objects.all():
        for status in ("drafting", "approved"):
            _ok(
                coordinator.post(
                    reverse("measure-move", args=["PE-LOR", measure.pk]), {"to": status}
                )
            )
        _ok(
            coordinator.post(
                reverse("evidence-add", args=["PE-LOR", measure.pk]),
                {"description": "Documento firmado", "file": pdf_upload()},
            )
        )
        _ok(
            coordinator.post(
                reverse("measure-move", args=["PE-LOR", measure.pk]), {"to": "implemented"}
            )
        )
    assert maturity() == "substantial"
    # The one who implemented cannot verify; the program admin can.
    coordinator.post(reverse("measure-move", args=["PE-LOR", policy.pk]), {"to": "verified"})
    policy.refresh_from_db()
    assert policy.status == "implemented"
    admin = world.client("admin")
    for measure in Measure.objects.all():
        _ok(admin.post(reverse("measure-move", args=["PE-LOR", measure.pk]), {"to": "verified"}))
    assert maturity() == "mature"
    page = coordinator.get(reverse("measure-systemic", args=["PE-LOR"])).content.decode()
    assert "Verificada: 1" in page or "Verificado: 1" in page
