"""The change history on every object page of an audited model: a change shows with its
before and after values to those who may see the object's details, never to viewers, and
the page costs the same number of queries however long the history grows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from amparo.assessment import services as assessment_services
from amparo.assessment.models import Finding, Threat
from amparo.rollout.models import Playbook, RecoveryGroup, Rollout, Stage
from amparo.territory.models import Contact, Organization
from amparo.tests.queries import page_queries


@dataclass
class Case:
    url: str
    obj: object
    field: str
    before: str
    after: str


def _church(world) -> Organization:
    return Organization.objects.create(name="Iglesia Uno", kind="church", region=world.region_a)


def _playbook() -> Playbook:
    return Playbook.objects.create(code="iglesias", name_es="Iglesias", name_en="Churches")


def _rollout(world) -> Rollout:
    return Rollout.objects.create(region=world.region_a, playbook=_playbook())


def organization(world) -> Case:
    church = _church(world)
    url = reverse("organization-edit", args=["PE-LOR", church.pk])
    return Case(url, church, "name", "Iglesia Uno", "Iglesia Bautista Uno")


def contact(world) -> Case:
    person = Contact.objects.create(organization=_church(world), name="Ana", title="Pastora")
    url = reverse("contact-edit", args=["PE-LOR", person.pk])
    return Case(url, person, "title", "Pastora", "Obispa")


def rollout(world) -> Case:
    started = _rollout(world)
    url = reverse("rollout-board", args=["PE-LOR", started.pk])
    return Case(url, started, "notes", "—", "Empezar por Iquitos")


def group(world) -> Case:
    started = _rollout(world)
    church = _church(world)
    recovery = RecoveryGroup.objects.create(
        rollout=started, church=church, launched_on=date(2026, 7, 1), meeting_day=1
    )
    for n in range(4):  # five groups: a number viewers may see, so they may open one
        RecoveryGroup.objects.create(
            rollout=started, church=church, label=f"G{n}", launched_on=date(2026, 7, 1),
            meeting_day=1,
        )  # fmt: skip
    url = reverse("group-detail", args=["PE-LOR", recovery.pk])
    return Case(url, recovery, "label", "—", "Grupo de jóvenes")


def assessment_round(world) -> Case:
    started = assessment_services.assessment_start(region=world.region_a, clone_previous=False)
    url = reverse("round-detail", args=["PE-LOR", started.pk])
    return Case(url, started, "completion_note", "—", "Revisado con la mesa regional")


def finding(world) -> Case:
    started = assessment_services.assessment_start(region=world.region_a, clone_previous=False)
    risk = Threat.objects.create(code="TUR-01", sector=world.sector, title_es="a", title_en="t")
    rated = Finding.objects.create(
        assessment=started,
        threat=risk,
        sector=world.sector,
        inherent_likelihood=3,
        inherent_impact=3,
    )
    url = reverse("finding-detail", args=["PE-LOR", started.pk, rated.pk])
    return Case(url, rated, "evidence", "—", "Informe de la mesa regional")


def playbook(world) -> Case:
    book = _playbook()
    return Case(reverse("playbook-detail", args=[book.code]), book, "name_es", "Iglesias", "Red")


def matrix(world) -> Case:
    grid = assessment_services.matrix_default_ensure()
    url = reverse("matrix-detail", args=[grid.code])
    return Case(url, grid, "name_es", "Matriz 5x5", "Matriz regional")


def stage(world) -> Case:
    book = _playbook()
    step = Stage.objects.create(
        playbook=book, code="reuniones", order=1, kind="other", name_es="Reuniones", name_en="M"
    )
    url = reverse("stage-edit", args=[book.code, step.pk])
    return Case(url, step, "name_es", "Reuniones", "Reuniones con pastores")


def threat(world) -> Case:
    risk = Threat.objects.create(code="TUR-01", sector=world.sector, title_es="a", title_en="t")
    return Case(
        reverse("threat-edit", args=[risk.pk]), risk, "title_es", "a", "Hoteles sin control"
    )


# page -> (roles who see the history, who open the page without it, who may not open it)
PAGES = {
    organization: (("admin", "coordinator"), (), ("focal", "viewer")),
    contact: (("admin", "coordinator"), (), ("focal", "viewer")),
    rollout: (("admin", "coordinator", "focal"), ("viewer",), ()),
    group: (("admin", "coordinator", "focal"), ("viewer",), ()),
    assessment_round: (("admin", "coordinator", "focal"), ("viewer",), ()),
    finding: (("admin", "coordinator", "focal"), ("viewer",), ()),
    playbook: (("admin", "coordinator", "focal"), ("viewer",), ()),
    matrix: (("admin", "coordinator", "focal"), ("viewer",), ()),
    stage: (("admin",), (), ("coordinator", "viewer")),
    threat: (("admin",), (), ("coordinator", "viewer")),
}


def _change(case: Case, value: str) -> None:
    setattr(case.obj, case.field, value)
    case.obj.save()


@pytest.mark.parametrize("build", PAGES, ids=[f.__name__ for f in PAGES])
def test_it_shows_a_change_with_before_and_after_to_those_who_see_details(world, build) -> None:
    case = build(world)
    _change(case, case.after)
    seers, others, denied = PAGES[build]
    marker = f"<del>{case.before}</del> → <ins>{case.after}</ins>"
    for role in seers:
        page = world.client(role).get(case.url)
        assert page.status_code == 200, role
        html = page.content.decode()
        assert marker in html, role
        assert html.count('id="history-log-heading"') == 1
        assert "<del>" not in html.split("</title>")[0]
    for role in others:
        page = world.client(role).get(case.url)
        assert page.status_code == 200, role
        assert "history-log-heading" not in page.content.decode(), role
        assert f"<ins>{case.after}</ins>" not in page.content.decode(), role
    for role in denied:
        assert world.client(role).get(case.url).status_code in (403, 404), role


@pytest.mark.parametrize("build", PAGES, ids=[f.__name__ for f in PAGES])
def test_its_query_count_does_not_grow_with_the_history(world, build) -> None:
    case = build(world)
    client = world.client(PAGES[build][0][-1])
    _change(case, case.after)
    client.get(case.url)  # the reader's protection of this data, worked out and kept
    few = page_queries(client, case.url)
    for n in range(6):
        _change(case, f"{case.after} {n}")
    client.get(case.url)
    assert page_queries(client, case.url) == few
