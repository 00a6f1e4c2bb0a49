"""A round of Loreto with the starter catalog, a fake KoboToolbox and a fake ODK Central,
connections to them, and submissions as each server's API gives them."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from amparo.assessment import services as assessment_services
from amparo.fieldservers import client, services
from amparo.fieldservers.models import Connection, ServerKind
from amparo.fieldservers.tests.fake_servers import Running, serving
from amparo.questionnaires import xlsform
from amparo.questionnaires.form_export import form_spec
from amparo.territory.models import Region, Sector


@pytest.fixture(autouse=True)
def _quick(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(client, "BACKOFF_SECONDS", 0.0)  # retried at once
    monkeypatch.setattr(client.KoboClient, "poll_seconds", 0.0)


@pytest.fixture
def round_lor(world):
    call_command("load_catalog", stdout=StringIO())
    loreto = Region.objects.get(code="PE-LOR")
    return assessment_services.assessment_start(region=loreto, clone_previous=False)


@pytest.fixture
def kobo() -> Iterator[Running]:
    with serving("kobo") as server:
        yield server


@pytest.fixture
def odk() -> Iterator[Running]:
    with serving("odk") as server:
        yield server


def connect(world, server: Running, kind: str, **fields: Any) -> Connection:
    values = {
        "kind": kind,
        "name": f"{kind}-campo",
        "base_url": server.url,
        "project_id": server.state.project if kind == ServerKind.ODK else None,
        "username": server.state.email if kind == ServerKind.ODK else "",
        "secret": server.state.password if kind == ServerKind.ODK else server.state.token,
        "interval_minutes": 15,
        "confirm_before_writing": False,
        **fields,
    }
    return services.connection_save(by=world.users["admin"], connection=None, **values)


@pytest.fixture
def kobo_connection(world, kobo) -> Connection:
    return connect(world, kobo, ServerKind.KOBO)


@pytest.fixture
def odk_connection(world, odk) -> Connection:
    return connect(world, odk, ServerKind.ODK)


def tourism_answers(round_lor, **values: str) -> tuple[str, dict[str, str]]:
    """The tourism form's version and a valid answer per question (``values`` by name)."""
    sector = Sector.objects.get(code="TUR")
    spec = form_spec(sectors=[sector], assessment=round_lor)
    answers = {}
    for q in sector.questionnaires.get().questions.all():
        if q.name in values:
            answers[q.name] = values[q.name]
        elif q.kind in ("choice", "yes_no"):
            answers[q.name] = q.choices[0]["name"]
        elif q.kind == "integer":
            answers[q.name] = "4"
        else:
            answers[q.name] = "texto"
    return xlsform.questions_version(spec.groups), answers


def kobo_submission(
    round_lor, n: int, *, when: str = "", version: str = "", **values: str
) -> dict[str, Any]:
    form_version, answers = tourism_answers(round_lor, **values)
    return {
        "_id": n,
        "_uuid": f"s{n}",
        "meta/instanceID": f"uuid:s{n}",
        "_submission_time": when or f"2027-01-01T10:{n // 60 % 60:02d}:{n % 60:02d}",
        "__version__": "vXYZ",
        "amparo_region": "PE-LOR",
        "amparo_round": str(round_lor.number),
        "amparo_version": version or form_version,
        "_attachments": [],
        "_geolocation": [None, None],
        **{f"tur/{name}": value for name, value in answers.items()},
    }


def odk_submission(
    round_lor, n: int, *, when: str = "", review: str | None = None, version: str = "", **values
) -> dict[str, Any]:
    form_version, answers = tourism_answers(round_lor, **values)
    return {
        "__id": f"uuid:s{n}",
        "__system": {
            "submissionDate": when or f"2027-01-01T10:{n // 60 % 60:02d}:{n % 60:02d}.000Z",
            "updatedAt": None,
            "submitterId": "5",
            "submitterName": "tablet 1",
            "reviewState": review,
            "formVersion": "1",
        },
        "meta": {"instanceID": f"uuid:s{n}"},
        "amparo_region": "PE-LOR",
        "amparo_round": str(round_lor.number),
        "amparo_version": version or form_version,
        "tur": answers,
    }
