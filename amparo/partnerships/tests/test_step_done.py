"""Marking a next step done: the owner while they still belong to the region, the region's
coordinators and admins for any step, and a step done once keeps its date."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.models import Membership, Role
from amparo.partnerships.models import Meeting, NextStep


@pytest.fixture
def step_of(world):
    meeting = Meeting.objects.create(
        region=world.region_a, held_on=date(2026, 9, 1), place="Iquitos", purpose="Alianza"
    )

    def make(owner: str, done_on: date | None = None) -> NextStep:
        return NextStep.objects.create(
            meeting=meeting,
            description="Enviar convenio",
            owner=world.users[owner],
            due_on=date(2026, 9, 30),
            done_on=done_on,
        )

    return make


def _done(world, role: str, step: NextStep):
    return world.client(role).post(reverse("step-done", args=[step.pk]))


def test_it_lets_an_owner_who_belongs_to_the_region_mark_their_step_done(world, step_of):
    step = step_of("focal")
    assert _done(world, "focal", step).status_code == 302
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()


def test_it_refuses_an_owner_whose_membership_was_removed(world, step_of):
    step = step_of("focal")
    Membership.objects.filter(user=world.users["focal"]).delete()
    assert _done(world, "focal", step).status_code == 404
    step.refresh_from_db()
    assert step.done_on is None


def test_it_refuses_an_owner_who_is_now_only_a_viewer(world, step_of):
    step = step_of("focal")
    Membership.objects.filter(user=world.users["focal"]).update(role=Role.VIEWER, sector=None)
    assert _done(world, "focal", step).status_code == 403
    step.refresh_from_db()
    assert step.done_on is None


@pytest.mark.parametrize(("role", "status"), [("focal", 403), ("viewer", 403), ("outsider", 404)])
def test_it_refuses_someone_elses_step_to_those_who_cannot_change_the_region(
    world, step_of, role, status
):
    step = step_of("coordinator")
    assert _done(world, role, step).status_code == status
    step.refresh_from_db()
    assert step.done_on is None


@pytest.mark.parametrize("role", ["coordinator", "admin"])
def test_it_lets_the_regions_coordinators_and_admins_mark_any_step_done(world, step_of, role):
    step = step_of("focal")
    assert _done(world, role, step).status_code == 302
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()


def test_it_keeps_the_date_of_a_step_already_done_and_says_so(world, step_of):
    step = step_of("coordinator", done_on=date(2026, 9, 5))
    response = world.client("coordinator").post(reverse("step-done", args=[step.pk]), follow=True)
    step.refresh_from_db()
    assert step.done_on == date(2026, 9, 5)
    assert "ya se marcó como hecho el 2026-09-05" in response.content.decode()
