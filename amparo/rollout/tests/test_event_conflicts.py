"""Two coordinators edit the same event: the second sees both versions."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from amparo.assessment.tests.test_finding_conflicts import loaded_version
from amparo.rollout.tests.conftest import make_event
from amparo.tests.queries import post_queries


def _data(event, version, **values) -> dict:
    return {
        "stage": event.stage_id,
        "status": "planned",
        "starts_on": "2025-01-06",
        "ends_on": "2025-01-07",
        "city": "Iquitos",
        "version": version,
        **values,
    }


def test_a_stale_event_edit_answers_409_and_can_be_applied_again(world, rollout_a, stages) -> None:
    event = make_event(rollout_a, stages["reuniones"], date(2025, 1, 6), status="planned", days=2)
    url = reverse("event-edit", args=["PE-LOR", event.pk])
    admin, coordinator = world.client("admin"), world.client("coordinator")
    first, second = loaded_version(admin.get(url)), loaded_version(coordinator.get(url))
    assert admin.post(url, _data(event, first, venue="Auditorio")).status_code == 302
    response = coordinator.post(url, _data(event, second, notes="Llevar proyector"))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Auditorio" in page and "Llevar proyector" in page and "admin" in page
    event.refresh_from_db()
    assert (event.venue, event.notes, event.version) == ("Auditorio", "", 2)
    again = _data(event, 2, venue="Auditorio", notes="Llevar proyector")
    assert coordinator.post(url, again).status_code == 302
    event.refresh_from_db()
    assert (event.venue, event.notes, event.version) == ("Auditorio", "Llevar proyector", 3)


def test_the_event_conflict_page_has_a_bounded_cost(world, rollout_a, stages) -> None:
    event = make_event(rollout_a, stages["reuniones"], date(2025, 1, 6), status="planned", days=2)
    url = reverse("event-edit", args=["PE-LOR", event.pk])
    coordinator = world.client("coordinator")
    world.client("admin").post(url, _data(event, 1, venue="a"))
    small = post_queries(coordinator, url, _data(event, 1, venue="b"), 409)
    for n in range(2, 10):
        world.client("admin").post(url, _data(event, n, venue=f"a{n}"))
    assert post_queries(coordinator, url, _data(event, 1, venue="b"), 409) == small
