"""schemathesis against the OpenAPI document: a bounded number of generated requests per
operation, as a program admin (who may change everything) and as a viewer (who gets small
counts withheld), on rows of every kind; no server error and every response fits the schema.

Changes (PATCH) usually name a real row and its current version, so that answers of changes
that succeed are checked too; the planner runs with a search time of a fraction of a second.

Not checked: that every schema-violating request is refused. pydantic reads inputs leniently
(``updated_since=0.5`` is a valid timestamp to it), which is a choice, not a defect."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from amparo.api.services import token_create
from amparo.assessment.models import Finding
from amparo.mitigation.models import Measure
from amparo.rollout.models import Event, Rollout

# Django's own WSGI handler: amparo.wsgi also checks the database before serving, which a
# test module may not do at import.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())

# The rows a generated id is replaced with, per path (in the viewer's region, Loreto), and
# how each reaches its region.
REAL_ROWS = {
    "/api/v1/findings/{id}": (Finding, "assessment__region__code"),
    "/api/v1/measures/{id}": (Measure, "region__code"),
    "/api/v1/events/{id}": (Event, "rollout__region__code"),
    "/api/v1/rollouts/{id}": (Rollout, "region__code"),
}


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Like Django's test client: a request must not close the connection that holds the
    # test's transaction (on PostgreSQL it would end the test's view of its data).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _short_plans(monkeypatch) -> None:
    monkeypatch.setattr("amparo.api.routes.church_track.PLAN_TIME_CAP_S", 0.2)


@pytest.fixture(params=["admin", "viewer"])
def role_headers(request, filled) -> dict[str, str]:
    token = token_create(user=filled.users[request.param], name="fuzz", read_only=False)
    return {"Authorization": f"Bearer {token}"}


def _aim_at_real_rows(case) -> None:
    """Most generated ids name no row; point two cases in three at a seeded one (in the
    viewer's region) and, for a change, send that row's current version."""
    generated = case.path_parameters.get("id")
    if case.path not in REAL_ROWS or not isinstance(generated, int) or generated % 3 == 0:
        return
    model, region_code = REAL_ROWS[case.path]
    row = model.objects.filter(**{region_code: "PE-LOR"}).order_by("pk").first()
    case.path_parameters["id"] = row.pk
    if case.method.upper() == "PATCH" and isinstance(case.body, dict):
        case.body["version"] = row.version


@schema.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_contract(case, role_headers) -> None:
    _aim_at_real_rows(case)
    case.call_and_validate(
        headers=role_headers,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
