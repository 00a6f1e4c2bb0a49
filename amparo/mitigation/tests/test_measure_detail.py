"""The measure page: what each role reads on it, and how it answers a status change."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.mitigation import services


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def worked_measure(world, measure_a):
    coordinator = world.users["coordinator"]
    coordinator.first_name, coordinator.last_name = "Rosa", "Tapullima"
    coordinator.save()
    services.evidence_add(
        measure=measure_a,
        by=coordinator,
        description="Acta de la reunión con el hotel Amazonas",
        url="https://example.org/acta",
    )
    services.measure_move(
        measure=measure_a, to="drafting", by=coordinator, reason="Lo pidió la fiscalía"
    )
    services.measure_move(
        measure=measure_a, to="dropped", by=coordinator, reason="Conflicto con el alcalde"
    )
    return measure_a


SENSITIVE = (
    "Acta de la reunión con el hotel Amazonas",  # evidence description
    "Tapullima",  # who uploaded and who moved it
    "Lo pidió la fiscalía",  # a status-change note
    "Conflicto con el alcalde",  # the drop reason
    "https://example.org/acta",
)


def test_a_viewer_reads_the_status_but_no_detail(world, worked_measure) -> None:
    url = reverse("measure-detail", args=["PE-LOR", worked_measure.pk])
    page = world.client("viewer").get(url).content.decode()
    assert "Descartada" in page and "enlace" in page
    for text in SENSITIVE:
        assert text not in page, text
    assert "solo las ve el equipo de la región" in page


@pytest.mark.parametrize("role", ["coordinator", "focal"])
def test_the_region_team_reads_every_detail(world, worked_measure, role) -> None:
    url = reverse("measure-detail", args=["PE-LOR", worked_measure.pk])
    page = world.client(role).get(url).content.decode()
    for text in SENSITIVE:
        assert text in page, text
    assert "solo las ve el equipo de la región" not in page


@pytest.mark.parametrize("target", ["bogus", ""])
def test_an_unknown_status_change_is_refused_with_a_message(world, measure_a, target) -> None:
    url = reverse("measure-move", args=["PE-LOR", measure_a.pk])
    response = world.client("coordinator").post(url, {"to": target})
    assert response.status_code == 400
    assert "Elija uno de los cambios de estado que ofrece esta página." in response.content.decode()
    measure_a.refresh_from_db()
    assert measure_a.status == "proposed"


def test_a_valid_status_change_still_goes_back_to_the_page(world, measure_a) -> None:
    url = reverse("measure-move", args=["PE-LOR", measure_a.pk])
    response = world.client("coordinator").post(url, {"to": "drafting"})
    assert response.status_code == 302
    measure_a.refresh_from_db()
    assert measure_a.status == "drafting"


@pytest.mark.parametrize(("role", "shown"), [("viewer", False), ("coordinator", True)])
def test_who_follows_a_measure_up_is_shown_only_to_the_region_team(
    world, measure_a, role, shown
) -> None:
    focal = world.users["focal"]
    focal.first_name, focal.last_name = "Lidia", "Huaymacari"
    focal.save()
    measure_a.owner = focal
    measure_a.save()
    url = reverse("measure-detail", args=["PE-LOR", measure_a.pk])
    page = world.client(role).get(url).content.decode()
    assert ("Huaymacari" in page) == shown
    assert ("Seguimiento a cargo de" in page) == shown
