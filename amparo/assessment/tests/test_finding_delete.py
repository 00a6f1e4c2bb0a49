"""Removing a finding from a round: asked first, by those who may change its sector, never
from a completed round."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.assessment import services
from amparo.assessment.models import Finding, RoundStatus
from amparo.assessment.tests.conftest import add_finding

ROLES = ["admin", "coordinator", "focal", "viewer", "outsider"]
ASK = {"admin": 200, "coordinator": 200, "focal": 200, "viewer": 403, "outsider": 404}
REMOVE = {"admin": 302, "coordinator": 302, "focal": 302, "viewer": 403, "outsider": 404}


def _url(assessment, finding):
    return reverse("finding-delete", args=[assessment.region.code, assessment.pk, finding.pk])


@pytest.mark.parametrize("role", ROLES)
def test_who_may_remove_a_finding(world, round_a, threats, role) -> None:
    finding = add_finding(round_a, threats["TUR-01"])
    client = world.client(role)
    assert client.get(_url(round_a, finding)).status_code == ASK[role]
    assert Finding.objects.filter(pk=finding.pk).exists()  # asking removes nothing
    response = client.post(_url(round_a, finding))
    assert response.status_code == REMOVE[role]
    assert Finding.objects.filter(pk=finding.pk).exists() == (REMOVE[role] != 302)
    if REMOVE[role] == 302:
        assert response.url == reverse("round-detail", args=["PE-LOR", round_a.pk])


def test_a_focal_point_cannot_remove_another_sectors_finding(world, round_a, threats) -> None:
    finding = add_finding(round_a, threats["EDU-01"])
    assert world.client("focal").post(_url(round_a, finding)).status_code == 404
    assert Finding.objects.filter(pk=finding.pk).exists()


@pytest.mark.parametrize("role", ["coordinator", "focal", "viewer"])
def test_another_regions_finding_is_not_found(world, threats, role) -> None:
    other = services.assessment_start(region=world.region_b, clone_previous=False)
    finding = add_finding(other, threats["TUR-01"])
    client = world.client(role)
    assert client.get(_url(other, finding)).status_code == 404
    assert client.post(_url(other, finding)).status_code == 404
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_the_finding_page_offers_removal_and_asks_first(world, round_a, threats) -> None:
    finding = add_finding(round_a, threats["TUR-01"])
    client = world.client("coordinator")
    detail = reverse("finding-detail", args=["PE-LOR", round_a.pk, finding.pk])
    assert _url(round_a, finding) in client.get(detail).content.decode()
    assert _url(round_a, finding) not in world.client("viewer").get(detail).content.decode()
    page = client.get(_url(round_a, finding)).content.decode()
    assert "¿Quitar el hallazgo TUR-01 de la ronda 1?" in page
    assert 'method="post"' in page


def test_a_completed_rounds_findings_cannot_be_removed(world, round_a, threats) -> None:
    finding = add_finding(round_a, threats["TUR-01"])
    round_a.status = RoundStatus.COMPLETED
    round_a.save()
    client = world.client("coordinator")
    detail = reverse("finding-detail", args=["PE-LOR", round_a.pk, finding.pk])
    assert _url(round_a, finding) not in client.get(detail).content.decode()
    response = client.post(_url(round_a, finding), follow=True)
    assert response.redirect_chain[-1][0] == detail
    assert "sus hallazgos se conservan tal como están" in response.content.decode()
    assert Finding.objects.filter(pk=finding.pk).exists()


def test_removing_a_treated_finding_keeps_the_measure(world, round_a, threats) -> None:
    from amparo.mitigation.models import Measure

    finding = add_finding(round_a, threats["TUR-01"])
    measure = Measure.objects.create(
        region=world.region_a, sector=world.sector, kind="policy", title="Ordenanza"
    )
    measure.findings.add(finding)
    client = world.client("coordinator")
    assert "1 medida lo trata" in client.get(_url(round_a, finding)).content.decode()
    client.post(_url(round_a, finding))
    assert not Finding.objects.filter(pk=finding.pk).exists()
    assert Measure.objects.filter(pk=measure.pk).exists()
