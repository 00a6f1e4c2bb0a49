"""The one edit flow of the pages (``concurrency.edit_page``), for each kind of row that
carries a version: findings, measures and events. A stale save shows both versions and
writes nothing, the form to save again stands on the current version, a rule the service
refuses shows on the form, and only those who may change the row get that far."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import models
from django.urls import reverse

from amparo.assessment.models import Assessment, Threat
from amparo.assessment.tests.conftest import add_finding, round_a, threats  # noqa: F401
from amparo.mitigation.models import Measure
from amparo.rollout.tests.conftest import make_event, playbook, rollout_a, stages  # noqa: F401

KINDS = ["finding", "measure", "event"]


@dataclass(frozen=True)
class Edit:
    """A row of one kind in region A, its edit page, the form's other values, and a text
    field of the form that two people change."""

    row: models.Model
    url: str
    values: dict[str, object]
    text: str

    def data(self, version: object, **values: object) -> dict[str, object]:
        return {**self.values, "version": version, **values}

    def stored(self) -> tuple[object, int]:
        row = type(self.row).objects.get(pk=self.row.pk)
        return getattr(row, self.text), row.version


def _finding(request) -> Edit:
    assessment = request.getfixturevalue("round_a")
    threat = Threat.objects.get(code="TUR-01")
    finding = add_finding(assessment, threat)
    return Edit(
        finding,
        reverse("finding-edit", args=["PE-LOR", assessment.pk, finding.pk]),
        {"threat": threat.pk, "inherent_likelihood": 4, "inherent_impact": 4, "confidence": "low"},
        "evidence",
    )


def _measure(request) -> Edit:
    world = request.getfixturevalue("world")
    measure = Measure.objects.create(
        region=world.region_a, sector=world.sector, kind="policy", title="Ordenanza regional"
    )
    return Edit(
        measure,
        reverse("measure-edit", args=["PE-LOR", measure.pk]),
        {
            "sector": world.sector.pk,
            "kind": "policy",
            "title": "Ordenanza regional",
            "lowers_likelihood": 0,
            "lowers_impact": 0,
        },
        "description",
    )


def _event(request) -> Edit:
    rollout = request.getfixturevalue("rollout_a")
    stage = request.getfixturevalue("stages")["reuniones"]
    event = make_event(rollout, stage, date(2025, 1, 6), status="planned", days=2)
    return Edit(
        event,
        reverse("event-edit", args=["PE-LOR", event.pk]),
        {
            "stage": stage.pk,
            "status": "planned",
            "starts_on": "2025-01-06",
            "ends_on": "2025-01-07",
            "city": "Iquitos",
        },
        "notes",
    )


@pytest.fixture(params=KINDS)
def edit(request) -> Edit:
    return {"finding": _finding, "measure": _measure, "event": _event}[request.param](request)


def _form_version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


def _compared_fields(page: str) -> int:
    table = page.split('class="conflict-table"')[1].split("</table>")[0]
    return table.count('<th scope="row">')


def test_a_stale_save_shows_both_versions_writes_nothing_and_can_be_saved_again(
    world, edit
) -> None:
    admin, coordinator = world.client("admin"), world.client("coordinator")
    assert _form_version(coordinator.get(edit.url).content.decode()) == "1"
    assert admin.post(edit.url, edit.data(1, **{edit.text: "Primera versión"})).status_code == 302
    history = edit.row.history.count()

    response = coordinator.post(edit.url, edit.data(1, **{edit.text: "Segunda versión"}))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Primera versión" in page and "Segunda versión" in page
    assert "admin" in page  # who saved meanwhile
    assert page.count('class="differs"') == 1
    assert _form_version(page) == "2"  # the form to save again stands on the current version
    assert "Segunda versión</textarea>" in page  # holding the person's values
    assert edit.stored() == ("Primera versión", 2)
    assert edit.row.history.count() == history

    again = coordinator.post(edit.url, edit.data(2, **{edit.text: "Segunda versión"}))
    assert again.status_code == 302
    assert edit.stored() == ("Segunda versión", 3)


def test_a_form_without_a_valid_version_is_refused_and_writes_nothing(world, edit) -> None:
    client = world.client("coordinator")
    for version in ("", "abc", "0", str(2**40)):
        response = client.post(edit.url, edit.data(version, **{edit.text: "x"}))
        assert response.status_code == 422, version
    assert edit.stored() == ("", 1)


def _refused(edit: Edit, world) -> dict[str, object]:
    """Values the form accepts and the service refuses, for each kind."""
    if isinstance(edit.row, Measure):
        assessment = Assessment.objects.get(region=world.region_a)
        other = add_finding(assessment, Threat.objects.get(code="EDU-01"))
        return edit.data(1, findings=[other.pk])  # a finding of another sector
    if hasattr(edit.row, "assessment"):
        Assessment.objects.filter(pk=edit.row.assessment_id).update(status="completed")
        return edit.data(1, evidence="x")  # a completed round is read-only
    return edit.data(1, status="done", starts_on="2999-01-04", ends_on="2999-01-05")


def test_a_rule_the_service_refuses_shows_on_the_form_and_writes_nothing(
    world, edit, request
) -> None:
    if isinstance(edit.row, Measure):
        request.getfixturevalue("round_a")
    response = world.client("coordinator").post(edit.url, _refused(edit, world))
    assert response.status_code == 422
    page = response.content.decode()
    assert "errorlist" in page and "conflict-table" not in page
    assert edit.stored() == ("", 1)


# role -> the answer to a stale save of each kind (finding, measure, event) in region A
STALE_SAVE = {
    "admin": (409, 409, 409),
    "coordinator": (409, 409, 409),
    "focal": (409, 409, 403),
    "viewer": (403, 403, 403),
    "outsider": (404, 404, 404),
}


@pytest.mark.parametrize("role", list(STALE_SAVE))
def test_only_those_who_may_change_the_row_reach_its_conflict(world, edit, role) -> None:
    expected = STALE_SAVE[role][KINDS.index(type(edit.row).__name__.lower())]
    response = world.client(role).post(edit.url, edit.data(9, **{edit.text: "x"}))
    assert response.status_code == expected
    assert edit.stored() == ("", 1)


def test_an_admins_override_reason_is_not_compared_as_a_field_of_the_event(
    world,
    rollout_a,  # noqa: F811
    stages,  # noqa: F811
) -> None:
    event = make_event(rollout_a, stages["reuniones"], date(2025, 1, 6), status="planned", days=2)
    url = reverse("event-edit", args=["PE-LOR", event.pk])
    admin = world.client("admin")
    assert 'name="override_reason"' in admin.get(url).content.decode()
    values = {"stage": event.stage_id, "status": "planned", "city": "Iquitos"}
    dates = {"starts_on": "2025-01-06", "ends_on": "2025-01-07"}
    world.client("coordinator").post(url, {**values, **dates, "version": 1, "venue": "Auditorio"})
    response = admin.post(
        url, {**values, **dates, "version": 1, "venue": "Coliseo", "override_reason": "Prisa"}
    )
    assert response.status_code == 409
    # stage, status, both dates, city, venue, team and notes: the event's own fields
    assert _compared_fields(response.content.decode()) == 8
