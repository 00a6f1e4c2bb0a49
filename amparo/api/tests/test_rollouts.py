"""GET /rollouts and /rollouts/{id}: each rollout with the state of its stages, visible
as the rollout's board is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from amparo.api.tests.conftest import bearer
from amparo.rollout.models import Event, Rollout

EXPECTED_REGIONS = {
    "admin": {"PE-LOR", "PE-UCA"},
    "coordinator": {"PE-LOR"},
    "focal": {"PE-LOR"},
    "viewer": {"PE-LOR"},
    "outsider": set(),
}


@pytest.mark.parametrize("role", EXPECTED_REGIONS)
def test_each_role_gets_the_rollouts_of_its_regions(filled, role) -> None:
    rows = bearer(filled, role).get("/api/v1/rollouts").json()
    assert {row["region"] for row in rows["items"]} == EXPECTED_REGIONS[role]
    assert rows["count"] == len(EXPECTED_REGIONS[role])


def test_a_rollout_tells_the_state_of_each_stage(filled) -> None:
    rollout = Rollout.objects.get(region=filled.region_a)
    Event.objects.filter(rollout=rollout, stage__code="reuniones").update(status="done")
    body = bearer(filled, "viewer").get(f"/api/v1/rollouts/{rollout.pk}").json()
    assert body["region"] == "PE-LOR" and body["playbook"] == "iglesias"
    stages = {stage["code"]: stage for stage in body["stages"]}
    assert [s["code"] for s in body["stages"]][:2] == ["reuniones", "conferencia"]
    assert stages["reuniones"]["state"] == "done"
    assert stages["reuniones"]["first_day"] == "2026-03-02"
    assert (
        stages["conferencia"]["state"] == "planned" and stages["conferencia"]["waiting_for"] == []
    )
    assert stages["lanzamiento"]["state"] == "not_started"
    assert stages["lanzamiento"]["waiting_for"]


@pytest.mark.parametrize("role", ["coordinator", "viewer", "outsider"])
def test_a_rollout_of_another_region_answers_404(filled, role) -> None:
    other = Rollout.objects.get(region=filled.region_b)
    response = bearer(filled, role).get(f"/api/v1/rollouts/{other.pk}")
    assert response.status_code == 404 and response.json()["error"] == "not_found"
    assert bearer(filled, role).get("/api/v1/rollouts/999999").status_code == 404


def test_updated_since_finds_rollouts_whose_events_changed(filled) -> None:
    client = bearer(filled, "admin")
    later = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert client.get(f"/api/v1/rollouts?updated_since={later}").json()["count"] == 0
    event = Event.objects.filter(rollout__region=filled.region_b).first()
    Event.objects.filter(pk=event.pk).update(updated_at=datetime.now(UTC) + timedelta(minutes=2))
    rows = client.get(f"/api/v1/rollouts?updated_since={later}").json()["items"]
    assert [row["region"] for row in rows] == ["PE-UCA"]


def test_the_list_costs_the_same_queries_for_one_rollout_or_many(filled) -> None:
    client = bearer(filled, "admin")
    client.get("/api/v1/rollouts")  # the first use of a token records it
    counts = []
    for limit in (1, 100):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/api/v1/rollouts?limit={limit}").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
