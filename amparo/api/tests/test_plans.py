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
