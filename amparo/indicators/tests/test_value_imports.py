"""Indicator values on the import pipeline, beyond what every kind shares: values handed
over whole (the API) go in all or nothing and leave a job behind, a row may name any
region its sender may import into, and a value already there is replaced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from amparo.api.services import token_create
from amparo.imports import services
from amparo.imports.models import ImportJob
from amparo.indicators.import_kind import OBSERVATIONS
from amparo.indicators.models import Observation

HEADER = ["indicator", "region", "period", "value", "disaggregation", "source", "note"]


@pytest.fixture
def catalog(world):
    call_command("load_catalog", stdout=StringIO())


def _rows(*values: tuple[str, str, str]) -> list[list[str]]:
    return [HEADER] + [
        [code, region, "2027-T1", value, "", "", ""] for code, region, value in values
    ]


def test_values_handed_over_whole_go_in_only_when_every_one_is_valid(world, catalog) -> None:
    admin = world.users["admin"]
    job = services.import_rows(
        kind=OBSERVATIONS,
        by=admin,
        region=None,
        rows=_rows(("OUT-TRAINED", "PE-LOR", "3"), ("OUT-TRAINED", "PE-UCA", "x")),
        name="API",
    )
    assert (job.status, job.rows_valid, job.problem_count) == ("discarded", 1, 1)
    assert job.problems == [[3, "value", "not_a_number", "x"]]
    assert not Observation.objects.exists()
    job = services.import_rows(
        kind=OBSERVATIONS,
        by=admin,
        region=None,
        rows=_rows(("OUT-TRAINED", "PE-LOR", "3"), ("OUT-TRAINED", "PE-UCA", "4")),
        name="API",
    )
    assert (job.status, job.rows_imported, job.confirmed_by, job.file.name) == (
        "done",
        2,
        admin,
        "",
    )
    assert Observation.objects.count() == 2


def test_a_row_may_name_only_a_region_its_sender_may_import_into(world, catalog) -> None:
    job = services.import_rows(
        kind=OBSERVATIONS,
        by=world.users["coordinator"],  # of Loreto only
        region=None,
        rows=_rows(("OUT-TRAINED", "PE-LOR", "3"), ("OUT-TRAINED", "PE-UCA", "4")),
        name="API",
    )
    assert [p[2] for p in job.problems] == ["region_not_allowed"]
    assert not Observation.objects.exists()


def test_a_value_already_there_is_replaced(world, catalog) -> None:
    for value in ("3", "5"):
        services.import_rows(
            kind=OBSERVATIONS,
            by=world.users["admin"],
            region=None,
            rows=_rows(("OUT-TRAINED", "PE-LOR", value)),
            name="API",
        )
    assert Observation.objects.get().value == Decimal("5")


def test_an_api_push_is_recorded_as_an_import(world, catalog) -> None:
    token = token_create(user=world.users["coordinator"], name="t", read_only=False)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    payload = [{"indicator": "OUT-TRAINED", "region": "PE-LOR", "period": "2027-T1", "value": "9"}]
    response = client.post("/api/v1/observations", payload, content_type="application/json")
    assert response.json() == {"imported": 1}
    job = ImportJob.objects.get()
    assert (job.kind, job.original_name, job.status, job.created_by) == (
        "observations",
        "API",
        "done",
        world.users["coordinator"],
    )
    assert Observation.objects.get().period == date(2027, 1, 1)
