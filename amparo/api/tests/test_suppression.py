"""Small counts of people: withheld from viewers through the API as on the pages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from amparo.api.tests.conftest import bearer


def _observations(world, role: str) -> dict[tuple[str, str], dict]:
    rows = bearer(world, role).get("/api/v1/observations?region=PE-LOR").json()["items"]
    return {(row["indicator"], row["period"]): row for row in rows}


def test_a_viewer_gets_small_counts_as_null_and_suppressed(filled) -> None:
    rows = _observations(filled, "viewer")
    small = rows[("OUT-TRAINED", "2026-01-01")]
    assert small["value"] is None and small["suppressed"] is True
    large = rows[("OUT-TRAINED", "2025-10-01")]
    assert Decimal(large["value"]) == 12 and large["suppressed"] is False
    # A number of days is no count of people.
    days = rows[("INT-REFERRAL-DAYS", "2026-01-01")]
    assert Decimal(days["value"]) == 3 and days["suppressed"] is False


@pytest.mark.parametrize("role", ["admin", "coordinator", "focal"])
def test_those_who_see_details_get_small_counts(filled, role) -> None:
    small = _observations(filled, role)[("OUT-TRAINED", "2026-01-01")]
    assert Decimal(small["value"]) == 3 and small["suppressed"] is False


def test_a_viewer_gets_small_attendance_counts_as_null(filled) -> None:
    events = bearer(filled, "viewer").get("/api/v1/events").json()["items"]
    attendance = [row for event in events for row in event["attendance"]]
    assert attendance == [
        {
            "organization_id": attendance[0]["organization_id"],
            "pastors": None,
            "leaders": 12,
            "others": 0,
            "suppressed": True,
            "hidden": True,
        }
    ]


def test_a_coordinator_gets_attendance_counts_as_recorded(filled) -> None:
    events = bearer(filled, "coordinator").get("/api/v1/events").json()["items"]
    attendance = [row for event in events for row in event["attendance"]]
    assert [(r["pastors"], r["leaders"], r["suppressed"]) for r in attendance] == [(3, 12, False)]


def test_the_openapi_document_explains_suppressed_values(db) -> None:
    schemas = Client().get("/api/v1/openapi.json").json()["components"]["schemas"]
    for name in ("ObservationOut", "AttendanceOut"):
        assert "suppressed" in schemas[name]["required"]
        assert "under k" in schemas[name]["properties"]["suppressed"]["description"]
        assert "hidden" in schemas[name]["properties"]


def _by_sex(filled) -> None:
    from amparo.indicators.models import Indicator, Observation

    for disaggregation, value in (("sex=f", 3), ("sex=m", 9)):
        Observation.objects.create(
            indicator=Indicator.objects.get(code="OUT-TRAINED"),
            region=filled.region_a,
            period=date(2025, 10, 1),
            disaggregation=disaggregation,
            value=value,
        )


def _quarter(world, role: str) -> dict[str, object]:
    rows = bearer(world, role).get("/api/v1/observations?region=PE-LOR&limit=100").json()
    return {
        row["disaggregation"]: (row["value"], row["suppressed"])
        for row in rows["items"]
        if row["indicator"] == "OUT-TRAINED" and row["period"] == "2025-10-01"
    }


def test_a_viewer_gets_no_total_or_sister_value_over_a_small_disaggregated_count(filled) -> None:
    _by_sex(filled)
    # Women 3 are hidden; the total 12 and men 9 would give them back, so the smaller of
    # the two (men) is hidden with them and the total stays: women could be 0 to 12.
    assert _quarter(filled, "viewer") == {
        "": ("12.00", False),
        "sex=f": (None, True),
        "sex=m": (None, True),
    }


def test_a_coordinator_gets_every_disaggregated_count(filled) -> None:
    _by_sex(filled)
    quarter = _quarter(filled, "coordinator")
    assert {k: (Decimal(v), s) for k, (v, s) in quarter.items()} == {
        "": (12, False),
        "sex=f": (3, False),
        "sex=m": (9, False),
    }
