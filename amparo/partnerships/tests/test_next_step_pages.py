"""Adding a next step to a meeting already recorded and changing an open one: for the
region's coordinators and admins; the meeting log and the region page offer "Done"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.models import Membership, Role, User
from amparo.partnerships import services
from amparo.partnerships.models import Meeting, NextStep
from amparo.tests.queries import page_queries


@pytest.fixture
def meeting(world) -> Meeting:
    return Meeting.objects.create(
        region=world.region_a, held_on=date(2026, 9, 1), place="Iquitos", purpose="Alianza"
    )


@pytest.fixture
def step(world, meeting) -> NextStep:
    return NextStep.objects.create(
        meeting=meeting,
        description="Enviar convenio",
        owner=world.users["coordinator"],
        due_on=date(2026, 9, 30),
    )


def _create_url(meeting: Meeting, code: str = "PE-LOR") -> str:
    return reverse("next-step-create", args=[code, meeting.pk])


def _edit_url(step: NextStep, code: str = "PE-LOR") -> str:
    return reverse("next-step-edit", args=[code, step.pk])


def test_it_adds_a_fourth_next_step_to_a_meeting_already_recorded(world, meeting):
    for n in range(3):
        NextStep.objects.create(
            meeting=meeting,
            description=f"Paso {n}",
            owner=world.users["coordinator"],
            due_on=date(2026, 10, 1),
        )
    response = world.client("coordinator").post(
        _create_url(meeting),
        {"description": "Reservar local", "owner": world.users["focal"].pk, "due_on": "2026-10-15"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings", args=["PE-LOR"]) + f"#meeting-{meeting.pk}"
    added = meeting.next_steps.get(description="Reservar local")
    assert (added.owner, added.due_on, added.done_on) == (
        world.users["focal"],
        date(2026, 10, 15),
        None,
    )
    assert "Reservar local" in world.client("focal").get(reverse("my-tasks")).content.decode()


def test_it_reassigns_an_open_step_and_changes_its_date_and_text(world, step):
    response = world.client("admin").post(
        _edit_url(step),
        {
            "description": "Enviar convenio firmado",
            "owner": world.users["focal"].pk,
            "due_on": "2026-11-02",
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.description, step.owner, step.due_on) == (
        "Enviar convenio firmado",
        world.users["focal"],
        date(2026, 11, 2),
    )
    assert (
        "Enviar convenio firmado"
        not in world.client("coordinator").get(reverse("my-tasks")).content.decode()
    )


def test_the_edit_page_starts_from_the_steps_current_values(world, step):
    form = world.client("coordinator").get(_edit_url(step)).context["form"]
    assert form.initial == {
        "description": "Enviar convenio",
        "owner": world.users["coordinator"].pk,
        "due_on": date(2026, 9, 30),
    }


def test_it_keeps_a_step_already_done_as_it_was_done(world, step):
    step.done_on = date(2026, 9, 20)
    step.save()
    client = world.client("coordinator")
    response = client.post(
        _edit_url(step),
        {"description": "Otro", "owner": world.users["focal"].pk, "due_on": "2026-12-01"},
        follow=True,
    )
    step.refresh_from_db()
    assert (step.description, step.owner, step.done_on) == (
        "Enviar convenio",
        world.users["coordinator"],
        date(2026, 9, 20),
    )
    assert "ya está hecho y no se puede cambiar" in response.content.decode()


@pytest.mark.parametrize("owner", ["viewer", "outsider"])
def test_it_refuses_an_owner_who_cannot_follow_up_in_the_region(world, meeting, step, owner):
    client = world.client("coordinator")
    data = {"description": "Algo", "owner": world.users[owner].pk, "due_on": "2026-10-01"}
    assert client.post(_create_url(meeting), data).status_code == 422
    assert client.post(_edit_url(step), data).status_code == 422
    assert list(meeting.next_steps.all()) == [step]
    step.refresh_from_db()
    assert step.owner == world.users["coordinator"]


def test_it_refuses_an_owner_whose_membership_is_elsewhere(world, meeting):
    other = User.objects.create_user(username="ucayali", password="x-Pass-12345")
    Membership.objects.create(user=other, role=Role.COORDINATOR, region=world.region_b)
    response = world.client("coordinator").post(
        _create_url(meeting), {"description": "Algo", "owner": other.pk, "due_on": "2026-10-01"}
    )
    assert response.status_code == 422 and not meeting.next_steps.exists()


def test_it_offers_as_owners_only_those_who_can_follow_up_in_the_region(world, meeting):
    offered = set(
        world.client("coordinator")
        .get(_create_url(meeting))
        .context["form"]
        .fields["owner"]
        .queryset
    )
    assert {world.users[r] for r in ("admin", "coordinator", "focal")} <= offered
    assert world.users["viewer"] not in offered
    assert world.users["outsider"] not in offered, (
        "an outsider is offered as owner: this needs access.people_who_can_change to count "
        "only non-viewer memberships covering the region"
    )


@pytest.mark.parametrize(("role", "status"), [("focal", 403), ("viewer", 403), ("outsider", 404)])
def test_it_refuses_those_who_cannot_change_the_region(world, meeting, step, role, status):
    client = world.client(role)
    data = {"description": "Algo", "owner": world.users["coordinator"].pk, "due_on": "2026-10-01"}
    assert client.post(_create_url(meeting), data).status_code == status
    assert client.post(_edit_url(step), data).status_code == status
    assert list(meeting.next_steps.all()) == [step]


def test_a_meeting_or_step_of_another_region_is_not_found(world):
    elsewhere = Meeting.objects.create(
        region=world.region_b, held_on=date(2026, 9, 1), place="Pucallpa", purpose="x"
    )
    step = NextStep.objects.create(
        meeting=elsewhere, description="s", owner=world.users["admin"], due_on=date(2026, 9, 30)
    )
    coordinator, admin = world.client("coordinator"), world.client("admin")
    assert coordinator.get(_create_url(elsewhere, "PE-UCA")).status_code == 404
    assert coordinator.get(_edit_url(step, "PE-UCA")).status_code == 404
    # An admin sees both regions, but not region B's meeting under region A's address.
    assert admin.get(_create_url(elsewhere, "PE-LOR")).status_code == 404
    assert admin.get(_edit_url(step, "PE-LOR")).status_code == 404


def _done_buttons(client, url: str) -> int:
    return client.get(url).content.decode().count('action="/next-steps/')


@pytest.mark.parametrize("page", ["meetings", "region-detail"])
def test_coordinators_and_admins_get_done_on_every_open_step(world, meeting, step, page):
    NextStep.objects.create(
        meeting=meeting,
        description="Del punto focal",
        owner=world.users["focal"],
        due_on=date(2026, 10, 1),
    )
    NextStep.objects.create(
        meeting=meeting,
        description="Hecho",
        owner=world.users["focal"],
        due_on=date(2026, 8, 1),
        done_on=date(2026, 8, 1),
    )
    url = reverse(page, args=["PE-LOR"])
    assert _done_buttons(world.client("coordinator"), url) == 2
    assert _done_buttons(world.client("admin"), url) == 2
    assert _done_buttons(world.client("focal"), url) == 1  # their own
    assert _done_buttons(world.client("viewer"), url) == 0


def test_a_coordinator_marks_someone_elses_step_done_from_the_meeting_log(world, meeting):
    theirs = NextStep.objects.create(
        meeting=meeting,
        description="Del punto focal",
        owner=world.users["focal"],
        due_on=date(2026, 10, 1),
    )
    log = reverse("meetings", args=["PE-LOR"]) + f"#meeting-{meeting.pk}"
    response = world.client("coordinator").post(
        reverse("step-done", args=[theirs.pk]), {"next": log}
    )
    assert response.status_code == 302 and response["Location"] == log
    theirs.refresh_from_db()
    assert theirs.done_on == timezone.localdate()


def test_the_pages_cost_the_same_with_more_people_and_steps(world, meeting, step):
    client = world.client("coordinator")
    urls = [_create_url(meeting), _edit_url(step)]
    small = [page_queries(client, u) for u in urls]
    for n in range(8):
        person = User.objects.create_user(username=f"p{n}", password="x-Pass-12345")
        Membership.objects.create(user=person, role=Role.COORDINATOR, region=world.region_a)
        NextStep.objects.create(
            meeting=meeting,
            description=f"s{n}",
            owner=person,
            due_on=timezone.localdate() + timedelta(days=n),
        )
    assert [page_queries(client, u) for u in urls] == small


@pytest.mark.parametrize("owner", ["viewer", "outsider"])
def test_the_service_refuses_an_owner_the_forms_would_not_offer(world, meeting, step, owner):
    with pytest.raises(ValidationError) as refused:
        services.next_step_add(
            meeting=meeting, description="Algo", owner=world.users[owner], due_on=date(2026, 10, 1)
        )
    assert "owner" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.next_step_update(
            step=step, description="Algo", owner=world.users[owner], due_on=date(2026, 10, 1)
        )
    assert list(meeting.next_steps.all()) == [step]
    focal = services.next_step_add(
        meeting=meeting, description="Otro", owner=world.users["focal"], due_on=date(2026, 10, 1)
    )
    assert focal.owner == world.users["focal"]


def test_an_owner_who_became_a_viewer_no_longer_finds_the_step_among_their_tasks(world, step):
    client = world.client("coordinator")
    assert "Enviar convenio" in client.get(reverse("my-tasks")).content.decode()
    Membership.objects.filter(user=world.users["coordinator"]).update(role=Role.VIEWER)
    client = world.client("coordinator")
    assert "Enviar convenio" not in client.get(reverse("my-tasks")).content.decode()
    assert client.post(reverse("step-done", args=[step.pk])).status_code == 403
