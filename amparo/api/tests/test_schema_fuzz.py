"""schemathesis against the OpenAPI document: a bounded number of generated requests per
operation, as a program admin; no server error and every response fits the schema.

Not checked: that every schema-violating request is refused. pydantic reads inputs leniently
(``updated_since=0.5`` is a valid timestamp to it), which is a choice, not a defect."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from amparo.api.services import token_create
from amparo.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # Like Django's test client: a request must not close the connection that holds the
    # test's transaction (on PostgreSQL it would end the test's view of its data).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_headers(world) -> dict[str, str]:
    token = token_create(user=world.users["admin"], name="fuzz", read_only=False)
    return {"Authorization": f"Bearer {token}"}


@schema.exclude(path="/api/v1/plans").parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_its_contract(case, admin_headers) -> None:
    case.call_and_validate(
        headers=admin_headers,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
