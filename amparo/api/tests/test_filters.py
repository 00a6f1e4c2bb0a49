"""Filters of the lists: a region the user may not see answers 404 as on the pages; every
list pages and filters the same way."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from amparo.api.tests.conftest import bearer
from amparo.mitigation.models import Measure

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
    assert coordinator.get(f"/api/v1/{resource}?region=PE-ABC").status_code == 404
    own = coordinator.get(f"/api/v1/{resource}?region=PE-LOR")
    assert own.status_code == 200 and own.json()["count"] > 0


@pytest.mark.parametrize("resource", REGION_LISTS)
def test_an_admin_filters_any_region(filled, resource) -> None:
    rows = bearer(filled, "admin").get(f"/api/v1/{resource}?region=PE-UCA&limit=500").json()
    assert rows["count"] > 0 and {row["region"] for row in rows["items"]} == {"PE-UCA"}


def _items(client, path: str) -> list[dict]:
    response = client.get(path)
    assert response.status_code == 200, response.content
    return response.json()["items"]


def test_events_filter_by_their_first_day(filled) -> None:
    client = bearer(filled, "admin")
    march = _items(client, "/api/v1/events?starts_from=2026-03-02&starts_to=2026-03-02")
    assert len(march) == 2 and {row["starts_on"] for row in march} == {"2026-03-02"}
    later = _items(client, "/api/v1/events?starts_from=2026-03-03")
    assert len(later) == 2 and {row["starts_on"] for row in later} == {"2026-06-01"}
    assert _items(client, "/api/v1/events?starts_to=2026-03-01") == []


def test_measures_filter_by_their_due_date(filled) -> None:
    client = bearer(filled, "admin")
    early = Measure.objects.order_by("pk").first()
    Measure.objects.filter(pk=early.pk).update(due_on=date(2026, 4, 30))
    april = _items(client, "/api/v1/measures?due_from=2026-04-01&due_to=2026-04-30")
    assert [row["id"] for row in april] == [early.pk]
    later = _items(client, "/api/v1/measures?due_from=2026-05-01&limit=500")
    assert len(later) == Measure.objects.count() - 1 and early.pk not in {r["id"] for r in later}


def test_organizations_filter_by_sector(filled) -> None:
    rows = _items(bearer(filled, "admin"), "/api/v1/organizations?sector=TUR")
    assert len(rows) == 2 and {row["sector"] for row in rows} == {"TUR"}


def test_assessments_filter_by_updated_since(filled) -> None:
    client = bearer(filled, "admin")
    assert len(_items(client, "/api/v1/assessments?updated_since=2000-01-01T00:00:00Z")) == 2
    later = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _items(client, f"/api/v1/assessments?updated_since={later}") == []


@pytest.mark.parametrize("resource", ["regions", "sectors", "indicators"])
def test_catalog_lists_are_paged_like_the_others(filled, resource) -> None:
    client = bearer(filled, "admin")
    whole = client.get(f"/api/v1/{resource}?limit=500").json()
    assert whole["count"] == len(whole["items"]) >= 2
    first = client.get(f"/api/v1/{resource}?limit=1").json()
    second = client.get(f"/api/v1/{resource}?limit=1&offset=1").json()
    assert first["count"] == whole["count"]
    assert first["items"] + second["items"] == whole["items"][:2]
