"""Filters of the lists: a region the user may not see answers 404 as on the pages; every
list pages and filters the same way."""

from __future__ import annotations

import pytest

from amparo.api.tests.conftest import bearer

REGION_LISTS = [
    "organizations",
    "events",
    "assessments",
    "findings",
    "measures",
    "observations",
    "rollouts",
]


@pytest.mark.parametrize("resource", REGION_LISTS)
def test_a_region_the_user_may_not_see_answers_404(filled, resource) -> None:
    coordinator = bearer(filled, "coordinator")
    response = coordinator.get(f"/api/v1/{resource}?region=PE-UCA")
    assert response.status_code == 404
    assert response.json() == {"error": "not_found", "detail": None}
    assert coordinator.get(f"/api/v1/{resource}?region=PE-XXX").status_code == 404
    own = coordinator.get(f"/api/v1/{resource}?region=PE-LOR")
    assert own.status_code == 200 and own.json()["count"] > 0


@pytest.mark.parametrize("resource", REGION_LISTS)
def test_an_admin_filters_any_region(filled, resource) -> None:
    rows = bearer(filled, "admin").get(f"/api/v1/{resource}?region=PE-UCA&limit=500").json()
    assert rows["count"] > 0 and {row["region"] for row in rows["items"]} == {"PE-UCA"}
