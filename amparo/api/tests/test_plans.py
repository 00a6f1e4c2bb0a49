"""POST /plans: the rollout planner through the API, refusing malformed input with 422."""

from __future__ import annotations

import pytest
from django.test import Client

from amparo.api.services import token_create

PLAN = {
    "start": "2027-01-04",
    "regions": [{"code": "PE-MDD"}],
    "stages": [{"code": "m", "days": 2}],
    "teams": [{"code": "A", "stages": ["m"]}],
}


def _admin(world) -> Client:
    token = token_create(user=world.users["admin"], name="t", read_only=False)
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(
    "malformed",
    [
        {**PLAN, "stages": [{"days": 2}]},  # a stage without code
        {**PLAN, "stages": [{"code": "m", "days": 2, "after": 5}]},
        {**PLAN, "regions": [{"code": "PE-MDD", "done": 5}]},
        {**PLAN, "regions": [{"code": "PE-MDD", "blackouts": 5}]},
        {**PLAN, "teams": [{"code": "A", "stages": 5}]},
    ],
)
def test_it_refuses_malformed_plans_with_422_in_the_error_shape(world, malformed) -> None:
    response = _admin(world).post("/api/v1/plans", malformed, content_type="application/json")
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["error"] == "invalid_plan" and body["detail"]


def test_a_read_only_token_may_ask_for_a_plan(world) -> None:
    token = token_create(user=world.users["admin"], name="t", read_only=True)
    reader = Client(headers={"Authorization": f"Bearer {token}"})
    response = reader.post("/api/v1/plans", PLAN, content_type="application/json")
    assert response.status_code == 200 and response.json()["finish"] == "2027-01-06"
    # It still writes nothing elsewhere.
    payload = [{"indicator": "X", "region": "PE-LOR", "period": "2027-T1", "value": "1"}]
    refused = reader.post("/api/v1/observations", payload, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"


def test_a_read_only_token_of_a_coordinator_is_still_refused_the_planner(world) -> None:
    token = token_create(user=world.users["coordinator"], name="t", read_only=True)
    reader = Client(headers={"Authorization": f"Bearer {token}"})
    response = reader.post("/api/v1/plans", PLAN, content_type="application/json")
    assert response.status_code == 403 and response.json()["error"] == "forbidden"
