"""While the reader's protection is being worked out (large data, just after a change) an
API answer with counts says so in its headers, ``Amparo-Protection: pending`` and
``Retry-After``, with those counts null: a script tells a count hidden for now from a
small one. Once the protection is stored, for small data and for a reader who knows every
region there is no such header; an answer without counts works nothing out for it."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import call_command

from amparo.api.tests.conftest import bearer
from amparo.disclosure.middleware import PENDING_HEADER
from amparo.disclosure.tests.test_release import CODE, victims  # noqa: F401
from amparo.disclosure.tests.test_stored_release import large, queued  # noqa: F401
from amparo.indicators.models import Observation

OBSERVATIONS = f"/api/v1/observations?region=PE-LOR&indicator={CODE}"


def _pending(response) -> bool:
    return response.get(PENDING_HEADER) == "pending" and response.get("Retry-After") == "120"


def _no_header(response) -> bool:
    return PENDING_HEADER not in response and "Retry-After" not in response


def _attendance(response) -> list[dict]:
    return [row for event in response.json()["items"] for row in event["attendance"]]


def _protect() -> None:
    call_command("disclosure_protect", "--quiet", stdout=io.StringIO())


@pytest.mark.usefixtures("large", "queued")
def test_it_says_observations_are_hidden_for_now_until_protected(
    world,
    victims,  # noqa: F811
    django_assert_max_num_queries,
) -> None:
    Observation.objects.create(
        indicator=victims, region=world.region_a, period=date(2026, 3, 1), value=480
    )
    viewer = bearer(world, "viewer")
    with django_assert_max_num_queries(20):
        response = viewer.get(OBSERVATIONS)
    assert response.status_code == 200 and _pending(response)
    rows = response.json()["items"]
    assert len(rows) == 11 and all(r["value"] is None and r["hidden"] for r in rows)
    _protect()
    response = viewer.get(OBSERVATIONS)
    assert response.status_code == 200 and _no_header(response)
    shown = [r["value"] for r in response.json()["items"] if not r["hidden"]]
    assert "480.00" in shown and len(shown) < 11  # small ones stay hidden, for good


@pytest.mark.usefixtures("large", "queued")
def test_it_says_attendance_is_hidden_for_now_until_protected(world, filled) -> None:
    viewer = bearer(world, "viewer")
    response = viewer.get("/api/v1/events")
    assert response.status_code == 200 and _pending(response)
    rows = _attendance(response)
    assert rows and all(r["leaders"] is None and r["hidden"] for r in rows)
    _protect()
    response = viewer.get("/api/v1/events")
    assert _no_header(response)
    assert any(r["leaders"] == 12 for r in _attendance(response))


@pytest.mark.usefixtures("victims", "large", "queued")
def test_a_coordinator_gets_the_header_while_the_programs_counts_are_hidden(world) -> None:
    response = bearer(world, "coordinator").get(OBSERVATIONS)
    assert _pending(response)
    assert not any(r["hidden"] for r in response.json()["items"])  # their own region's


@pytest.mark.usefixtures("victims", "large", "queued")
def test_a_program_admin_is_hidden_nothing_and_gets_no_header(world) -> None:
    response = bearer(world, "admin").get(OBSERVATIONS)
    assert response.status_code == 200 and _no_header(response)
    assert not any(r["hidden"] for r in response.json()["items"])


@pytest.mark.usefixtures("victims")
def test_small_data_is_protected_at_once_and_gets_no_header(world, filled) -> None:
    viewer = bearer(world, "viewer")
    for path in (OBSERVATIONS, "/api/v1/events"):
        response = viewer.get(path)
        assert response.status_code == 200 and _no_header(response), path


@pytest.mark.usefixtures("large")
def test_an_answer_without_counts_works_nothing_out(
    world,
    filled,
    queued,  # noqa: F811
    django_assert_max_num_queries,
) -> None:
    viewer = bearer(world, "viewer")
    with django_assert_max_num_queries(20) as few:
        response = viewer.get("/api/v1/organizations")
    assert response.status_code == 200 and _no_header(response)
    assert queued == []  # no protection asked for
    assert not any("disclosure" in q["sql"] for q in few.captured_queries)


def test_the_api_document_explains_the_header_where_it_explains_hidden_counts() -> None:
    from amparo.api.api import api

    schemas = api.get_openapi_schema(path_prefix="")["components"]["schemas"]
    for name in ("ObservationOut", "AttendanceOut"):
        assert (
            "Amparo-Protection: pending" in schemas[name]["properties"]["suppressed"]["description"]
        ), name
    assert "Amparo-Protection: pending" in api.description
