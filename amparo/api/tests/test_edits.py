"""PATCH of findings, measures and events: the version the client read, 409 when it is
stale, and the same visibility and rights as the pages."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from amparo.api.schemas import FindingPatch
from amparo.api.services import token_create
from amparo.assessment import services as assessment_services
from amparo.assessment.models import Finding, Threat
from amparo.catalog.sync import LoadCount
from amparo.concurrency import UNCHANGED
from amparo.mitigation.models import Measure
from amparo.rollout.models import Event, Playbook, Rollout
from amparo.rollout.services import playbook_catalog_load

ROLES = ["admin", "coordinator", "focal", "viewer", "outsider"]


@pytest.fixture
def rows(world):
    playbook_catalog_load(pack="pe", count=LoadCount())
    playbook = Playbook.objects.get(code="iglesias")
    threat = Threat.objects.create(code="TUR-01", sector=world.sector, title_es="t", title_en="t")
    other = Threat.objects.create(
        code="EDU-01", sector=world.other_sector, title_es="e", title_en="e"
    )
    found = {}
    for key, region in (("A", world.region_a), ("B", world.region_b)):
        assessment = assessment_services.assessment_start(region=region, clone_previous=False)
        rollout = Rollout.objects.create(region=region, playbook=playbook)
        found[key] = {
            "finding": Finding.objects.create(
                assessment=assessment, threat=threat, sector=world.sector,
                inherent_likelihood=3, inherent_impact=3,
            ),
            "other_finding": Finding.objects.create(
                assessment=assessment, threat=other, sector=world.other_sector,
                inherent_likelihood=3, inherent_impact=3,
            ),
            "measure": Measure.objects.create(
                region=region, sector=world.sector, kind="policy", title="m"
            ),
            "event": Event.objects.create(
                rollout=rollout, stage=playbook.stages.get(code="reuniones"),
                starts_on=date(2025, 1, 6), ends_on=date(2025, 1, 7), city="x",
            ),
        }  # fmt: skip
    return found


def _patch(client: Client, path: str, body: dict, **headers) -> object:
    return client.patch(path, body, content_type="application/json", headers=headers)


def _bearer(world, role: str, *, read_only: bool = False) -> dict[str, str]:
    token = token_create(user=world.users[role], name="t", read_only=read_only)
    return {"Authorization": f"Bearer {token}"}


CHANGES = {
    "findings": ("finding", {"evidence": "Inspección", "inherent_likelihood": 4}),
    "measures": ("measure", {"title": "Ordenanza", "due_on": "2026-06-30"}),
    "events": ("event", {"venue": "Auditorio", "notes": "Llevar proyector"}),
}


@pytest.mark.parametrize("resource", CHANGES)
def test_a_change_with_the_current_version_is_saved_and_moves_it_on(world, rows, resource):
    key, change = CHANGES[resource]
    row = rows["A"][key]
    response = _patch(
        Client(), f"/api/v1/{resource}/{row.pk}", {"version": 1, **change},
        **_bearer(world, "coordinator"),
    )  # fmt: skip
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2 and all(body[k] == v for k, v in change.items())
    row.refresh_from_db()
    assert row.version == 2


@pytest.mark.parametrize("resource", CHANGES)
def test_a_stale_version_answers_409_with_the_current_values_and_writes_nothing(
    world, rows, resource
):
    key, change = CHANGES[resource]
    row = rows["A"][key]
    headers = _bearer(world, "coordinator")
    assert _patch(Client(), f"/api/v1/{resource}/{row.pk}", {"version": 1, **change}, **headers)
    first = {k: getattr(row.__class__.objects.get(pk=row.pk), k) for k in change}
    response = _patch(Client(), f"/api/v1/{resource}/{row.pk}", {"version": 1, **change}, **headers)
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "conflict"
    assert body["detail"]["version"] == 2 and body["detail"]["current"]["version"] == 2
    assert body["detail"]["current"]["id"] == row.pk
    row.refresh_from_db()
    assert row.version == 2 and {k: getattr(row, k) for k in change} == first


def test_the_second_of_two_clients_from_the_same_version_gets_409(world, rows) -> None:
    finding = rows["A"]["finding"]
    path = f"/api/v1/findings/{finding.pk}"
    one = _patch(Client(), path, {"version": 1, "evidence": "uno"}, **_bearer(world, "admin"))
    two = _patch(Client(), path, {"version": 1, "evidence": "dos"}, **_bearer(world, "focal"))
    assert (one.status_code, two.status_code) == (200, 409)
    assert two.json()["detail"]["current"]["evidence"] == "uno"
    finding.refresh_from_db()
    assert finding.evidence == "uno"


def test_a_read_only_token_cannot_change_anything(world, rows) -> None:
    for resource, (key, change) in CHANGES.items():
        row = rows["A"][key]
        response = _patch(
            Client(), f"/api/v1/{resource}/{row.pk}", {"version": 1, **change},
            **_bearer(world, "admin", read_only=True),
        )  # fmt: skip
        assert response.status_code == 403
        assert response.json() == {"error": "forbidden", "detail": None}


# role -> (finding of their sector, finding of another sector, measure, event) in region A
EXPECTED_A = {
    "admin": (200, 200, 200, 200),
    "coordinator": (200, 200, 200, 200),
    "focal": (200, 404, 200, 403),
    "viewer": (403, 403, 403, 403),
    "outsider": (404, 404, 404, 404),
}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_may_change_what_the_pages_let_it_change(world, rows, role) -> None:
    headers = _bearer(world, role)
    for region, expected in (("A", EXPECTED_A[role]), ("B", None)):
        if expected is None:
            expected = (200,) * 4 if role == "admin" else (404,) * 4
        targets = [
            ("findings", rows[region]["finding"], {"evidence": "x"}),
            ("findings", rows[region]["other_finding"], {"evidence": "x"}),
            ("measures", rows[region]["measure"], {"title": "x"}),
            ("events", rows[region]["event"], {"notes": "x"}),
        ]
        got = tuple(
            _patch(
                Client(), f"/api/v1/{res}/{row.pk}", {"version": 1, **body}, **headers
            ).status_code
            for res, row, body in targets
        )
        assert got == expected, (role, region)


def test_the_same_rules_as_the_pages_refuse_bad_values(world, rows) -> None:
    headers = _bearer(world, "coordinator")
    a = rows["A"]
    refused = [
        (f"/api/v1/findings/{a['finding'].pk}", {"version": 1, "residual_likelihood": 2}),
        (f"/api/v1/findings/{a['finding'].pk}", {"version": 1, "inherent_impact": 9}),
        (f"/api/v1/findings/{a['finding'].pk}", {"version": 1, "confidence": "total"}),
        (
            f"/api/v1/measures/{a['measure'].pk}",
            {"version": 1, "starts_on": "2026-02-01", "due_on": "2026-01-01"},
        ),
        (
            f"/api/v1/events/{a['event'].pk}",
            {"version": 1, "starts_on": "2025-01-08", "ends_on": "2025-01-07"},
        ),
        (f"/api/v1/events/{a['event'].pk}", {"notes": "no version"}),
        (f"/api/v1/events/{a['event'].pk}", {"version": 0, "notes": "x"}),
        (f"/api/v1/events/{a['event'].pk}", {"version": 1, "notes": "nul\x00"}),
        (f"/api/v1/measures/{a['measure'].pk}", {"version": 1, "title": ""}),
    ]
    for path, body in refused:
        response = _patch(Client(), path, body, **headers)
        assert response.status_code == 422, (path, body, response.content)
        assert set(response.json()) == {"error", "detail"}
    for row in (a["finding"], a["measure"], a["event"]):
        row.refresh_from_db()
        assert row.version == 1


def test_ids_beyond_64_bits_and_missing_rows_answer_cleanly(world, rows) -> None:
    headers = _bearer(world, "admin")
    assert _patch(Client(), f"/api/v1/findings/{2**63}", {"version": 1}, **headers).status_code == (
        422
    )
    assert _patch(Client(), "/api/v1/measures/999999", {"version": 1}, **headers).status_code == 404


def test_the_list_endpoints_report_the_version(world, rows) -> None:
    headers = _bearer(world, "admin", read_only=True)
    for resource in ("findings", "measures", "events"):
        items = Client().get(f"/api/v1/{resource}", headers=headers).json()["items"]
        assert items and all(item["version"] == 1 for item in items)


@pytest.mark.parametrize("resource", CHANGES)
def test_the_409_answer_has_the_error_shape_and_the_row_as_the_list_gives_it(
    world, rows, resource
) -> None:
    key, change = CHANGES[resource]
    row = rows["A"][key]
    headers = _bearer(world, "coordinator")
    path = f"/api/v1/{resource}/{row.pk}"
    assert _patch(Client(), path, {"version": 1, **change}, **headers).status_code == 200
    response = _patch(Client(), path, {"version": 1, **change}, **headers)
    listed = Client().get(f"/api/v1/{resource}?region=PE-LOR&limit=500", headers=headers).json()
    assert response.status_code == 409
    assert response.json() == {
        "error": "conflict",
        "detail": {
            "message": "Otra persona lo cambió después de la versión que envió.",
            "version": 2,
            "current": next(item for item in listed["items"] if item["id"] == row.pk),
        },
    }
    english = _patch(
        Client(), path, {"version": 1, **change}, **headers, **{"Accept-Language": "en"}
    )
    assert english.json()["detail"]["message"] == (
        "Someone else changed it since the version you sent."
    )


# resource -> (what a first change sets, what a second change sends alone)
PARTIAL = {
    "findings": (
        {"evidence": "Registro", "residual_likelihood": 2, "residual_impact": 2},
        {"confidence": "high"},
    ),
    "measures": ({"title": "Ordenanza", "due_on": "2026-06-30"}, {"lowers_impact": 2}),
    "events": ({"venue": "Auditorio", "city": "Pucallpa"}, {"notes": "Llevar proyector"}),
}


@pytest.mark.parametrize("resource", PARTIAL)
def test_a_change_sets_only_the_fields_it_sends(world, rows, resource) -> None:
    key = CHANGES[resource][0]
    row = rows["A"][key]
    first, second = PARTIAL[resource]
    headers = _bearer(world, "admin")
    path = f"/api/v1/{resource}/{row.pk}"
    assert _patch(Client(), path, {"version": 1, **first}, **headers).status_code == 200
    response = _patch(Client(), path, {"version": 2, **second}, **headers)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 3
    assert {k: body[k] for k in {**first, **second}} == {**first, **second}


def test_null_clears_an_optional_field_and_only_that_one(world, rows) -> None:
    headers = _bearer(world, "admin")
    finding, measure = rows["A"]["finding"], rows["A"]["measure"]
    path = f"/api/v1/findings/{finding.pk}"
    set_residual = {"version": 1, "residual_likelihood": 2, "residual_impact": 2}
    assert _patch(Client(), path, set_residual, **headers).status_code == 200
    cleared = {"version": 2, "residual_likelihood": None, "residual_impact": None}
    body = _patch(Client(), path, cleared, **headers).json()
    assert (body["residual_likelihood"], body["residual_impact"]) == (None, None)
    assert (body["inherent_likelihood"], body["inherent_impact"]) == (3, 3)

    path = f"/api/v1/measures/{measure.pk}"
    dates = {"version": 1, "starts_on": "2026-01-01", "due_on": "2026-06-30"}
    assert _patch(Client(), path, dates, **headers).status_code == 200
    body = _patch(Client(), path, {"version": 2, "due_on": None}, **headers).json()
    assert (body["starts_on"], body["due_on"], body["title"]) == ("2026-01-01", None, "m")


def test_a_change_tells_the_service_only_what_was_sent() -> None:
    patch = FindingPatch.model_validate({"version": 3, "evidence": "x", "residual_impact": None})
    assert patch.sent("evidence") == "x"
    assert patch.sent("residual_impact") is None
    assert patch.sent("inherent_likelihood") is UNCHANGED
    with pytest.raises(AttributeError):
        patch.sent("evidense")
