"""The stage order after the fact: changing or cancelling an event that later events rely
on, editing an event whose order was overridden, and overrides given while marking done
or through the event form."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from amparo.rollout import services
from amparo.rollout.models import Event, EventStatus
from amparo.rollout.tests.conftest import make_event

D = date(2025, 3, 10)


@pytest.fixture(autouse=True)
def _english_messages():
    # Service messages are asserted in English; pages are tested in Spanish below.
    with translation.override("en"):
        yield


@pytest.fixture
def meeting_then_conference(rollout_a, stages) -> tuple[Event, Event]:
    """Initial meetings done, and the conference done after them (gap respected)."""
    meeting = make_event(rollout_a, stages["reuniones"], D)
    conference = make_event(rollout_a, stages["conferencia"], D + timedelta(days=30))
    return meeting, conference


def _move(event: Event, by, start: date, **extra) -> Event:
    return services.event_save(
        rollout=event.rollout,
        by=by,
        event=Event.objects.get(pk=event.pk),
        starts_on=start,
        ends_on=start + timedelta(days=event.stage.typical_days - 1),
        **extra,
    )


# --- a change that later events rely on ------------------------------------------------


def test_a_coordinator_cannot_cancel_meetings_a_done_conference_relies_on(
    world, meeting_then_conference
) -> None:
    meeting, _conference = meeting_then_conference
    with pytest.raises(services.StageOrderError) as refused:
        services.event_cancel(event=meeting, by=world.users["coordinator"])
    assert "Pastors' conference" in refused.value.messages[0]
    assert "2025-04-09" in refused.value.messages[0]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.override_reason) == (EventStatus.DONE, "")


def test_a_program_admin_cancels_them_with_a_recorded_reason(
    world, meeting_then_conference
) -> None:
    meeting, _conference = meeting_then_conference
    admin = world.users["admin"]
    with pytest.raises(services.StageOrderError):
        services.event_cancel(event=meeting, by=admin, override_reason="  ")
    services.event_cancel(event=meeting, by=admin, override_reason="Entered twice by mistake")
    meeting.refresh_from_db()
    assert meeting.status == EventStatus.CANCELLED
    assert (meeting.override_reason, meeting.override_by) == ("Entered twice by mistake", admin)


def test_cancelling_an_event_nothing_relies_on_needs_no_reason(
    world, rollout_a, stages, meeting_then_conference
) -> None:
    _meeting, conference = meeting_then_conference
    spare = make_event(rollout_a, stages["reuniones"], D + timedelta(days=3))
    services.event_cancel(event=spare, by=world.users["coordinator"])
    services.event_cancel(event=conference, by=world.users["coordinator"])
    assert set(rollout_a.events.values_list("status", flat=True)) == {"done", "cancelled"}


def test_a_coordinator_cannot_move_meetings_after_the_conference(
    world, meeting_then_conference
) -> None:
    meeting, _conference = meeting_then_conference
    with pytest.raises(services.StageOrderError, match="too soon after") as refused:
        _move(meeting, world.users["coordinator"], D + timedelta(days=35))
    assert "Pastors' conference" in refused.value.messages[0]
    meeting.refresh_from_db()
    assert meeting.starts_on == D


def test_a_program_admin_moves_them_with_a_recorded_reason(world, meeting_then_conference) -> None:
    meeting, _conference = meeting_then_conference
    admin = world.users["admin"]
    _move(meeting, admin, D + timedelta(days=35), override_reason="Dates entered wrongly")
    meeting.refresh_from_db()
    assert meeting.starts_on == D + timedelta(days=35)
    assert (meeting.override_reason, meeting.override_by) == ("Dates entered wrongly", admin)


def test_marking_meetings_planned_again_under_a_done_conference_is_refused(
    world, meeting_then_conference
) -> None:
    meeting, _conference = meeting_then_conference
    with pytest.raises(services.StageOrderError, match="is done and needs"):
        _move(meeting, world.users["coordinator"], D, status=EventStatus.PLANNED)


def test_moving_meetings_earlier_is_accepted(world, meeting_then_conference) -> None:
    meeting, _conference = meeting_then_conference
    moved = _move(meeting, world.users["coordinator"], D - timedelta(days=7))
    assert (moved.starts_on, moved.override_reason) == (D - timedelta(days=7), "")


def test_an_order_already_overridden_downstream_does_not_block_other_changes(
    world, rollout_a, stages
) -> None:
    coordinator = world.users["coordinator"]
    meeting = make_event(rollout_a, stages["reuniones"], D, status="planned")
    early = services.event_save(
        rollout=rollout_a, by=world.users["admin"], stage=stages["conferencia"],
        status="planned", starts_on=D + timedelta(days=5), ends_on=D + timedelta(days=7),
        city="Iquitos", override_reason="Only week the speakers can come",
    )  # fmt: skip
    services.event_save(rollout=rollout_a, by=coordinator, event=meeting, notes="Venue agreed")
    _move(meeting, coordinator, D - timedelta(days=1))
    early.refresh_from_db()
    assert early.override_reason == "Only week the speakers can come"


def test_a_coordinator_is_told_why_on_the_event_page(world, meeting_then_conference) -> None:
    meeting, _conference = meeting_then_conference
    url = reverse("event-cancel", args=["PE-LOR", meeting.pk])
    response = world.client("coordinator").post(url, follow=True)
    assert response.status_code == 200
    assert "El evento “Conferencia de pastores” del 2025-04-09 necesita antes" in response.text
    meeting.refresh_from_db()
    assert meeting.status == EventStatus.DONE


def test_a_program_admin_cancels_through_the_page_with_a_reason(
    world, meeting_then_conference
) -> None:
    meeting, _conference = meeting_then_conference
    url = reverse("event-cancel", args=["PE-LOR", meeting.pk])
    page = world.client("admin").get(reverse("event-detail", args=["PE-LOR", meeting.pk]))
    assert 'id="override-cancel"' in page.text
    world.client("admin").post(url, {"override_reason": "Duplicate"})
    meeting.refresh_from_db()
    assert (meeting.status, meeting.override_reason) == (EventStatus.CANCELLED, "Duplicate")


# --- an event whose order was overridden ----------------------------------------------


@pytest.fixture
def overridden_training(world, rollout_a, stages) -> Event:
    return services.event_save(
        rollout=rollout_a, by=world.users["admin"], stage=stages["capacitacion"],
        status="planned", starts_on=D, ends_on=D + timedelta(days=2), city="Iquitos",
        override_reason="Invited early",
    )  # fmt: skip


def test_a_coordinator_edits_the_notes_of_an_overridden_event(world, overridden_training) -> None:
    services.event_save(
        rollout=overridden_training.rollout, by=world.users["coordinator"],
        event=Event.objects.get(pk=overridden_training.pk), expected_version=1,
        notes="Bring the workbooks",
    )  # fmt: skip
    overridden_training.refresh_from_db()
    assert overridden_training.notes == "Bring the workbooks"
    assert overridden_training.override_reason == "Invited early"
    assert overridden_training.override_by == world.users["admin"]


def test_the_web_form_saves_notes_of_an_overridden_event(world, overridden_training) -> None:
    url = reverse("event-edit", args=["PE-LOR", overridden_training.pk])
    response = world.client("coordinator").post(
        url,
        {
            "stage": overridden_training.stage_id, "status": "planned",
            "starts_on": "2025-03-10", "ends_on": "2025-03-12", "city": "Iquitos",
            "notes": "Bring the workbooks", "version": 1,
        },
    )  # fmt: skip
    assert response.status_code == 302
    overridden_training.refresh_from_db()
    assert (overridden_training.notes, overridden_training.override_reason) == (
        "Bring the workbooks",
        "Invited early",
    )


def test_marking_an_overridden_event_done_keeps_the_first_reason(
    world, overridden_training
) -> None:
    services.event_complete(
        event=overridden_training, by=world.users["admin"], override_reason="Second reason"
    )
    overridden_training.refresh_from_db()
    assert overridden_training.status == EventStatus.DONE
    assert overridden_training.override_reason == "Invited early"


def test_a_coordinator_marks_an_overridden_event_done(world, overridden_training) -> None:
    services.event_complete(event=overridden_training, by=world.users["coordinator"])
    overridden_training.refresh_from_db()
    assert overridden_training.status == EventStatus.DONE
    assert overridden_training.override_by == world.users["admin"]


def test_moving_an_overridden_event_checks_the_order_again(world, overridden_training) -> None:
    with pytest.raises(services.StageOrderError, match="must come first"):
        _move(overridden_training, world.users["coordinator"], D + timedelta(days=1))


# --- overrides while marking done and through the form --------------------------------


def test_a_program_admin_marks_done_before_the_prerequisites_with_a_reason(
    world, rollout_a, stages
) -> None:
    make_event(rollout_a, stages["reuniones"], D, status="planned")
    conference = make_event(
        rollout_a, stages["conferencia"], D + timedelta(days=30), status="planned"
    )
    with pytest.raises(services.StageOrderError, match="must be done first"):
        services.event_complete(
            event=conference, by=world.users["coordinator"], override_reason="Please"
        )
    conference.refresh_from_db()
    assert (conference.status, conference.override_reason) == (EventStatus.PLANNED, "")
    admin = world.users["admin"]
    services.event_complete(event=conference, by=admin, override_reason="Meeting notes lost")
    conference.refresh_from_db()
    assert conference.status == EventStatus.DONE
    assert (conference.override_reason, conference.override_by) == ("Meeting notes lost", admin)


def test_marking_done_through_the_page_records_the_admins_reason(world, rollout_a, stages) -> None:
    make_event(rollout_a, stages["reuniones"], D, status="planned")
    conference = make_event(
        rollout_a, stages["conferencia"], D + timedelta(days=30), status="planned"
    )
    url = reverse("event-complete", args=["PE-LOR", conference.pk])
    world.client("admin").post(url, {"override_reason": "Meeting notes lost"})
    conference.refresh_from_db()
    assert (conference.status, conference.override_reason) == ("done", "Meeting notes lost")


def _new_training(**extra: object) -> dict[str, object]:
    return {
        "status": "planned", "starts_on": "2025-03-10", "ends_on": "2025-03-12",
        "city": "Iquitos", **extra,
    }  # fmt: skip


def test_the_event_form_records_a_program_admins_override(world, rollout_a, stages) -> None:
    url = reverse("event-create", args=["PE-LOR", rollout_a.pk])
    form = world.client("admin").get(url)
    assert 'name="override_reason"' in form.text
    response = world.client("admin").post(
        url, _new_training(stage=stages["capacitacion"].pk, override_reason="Invited early")
    )
    assert response.status_code == 302
    event = rollout_a.events.get()
    assert (event.override_reason, event.override_by) == ("Invited early", world.users["admin"])


def test_the_event_form_refuses_a_coordinators_override(world, rollout_a, stages) -> None:
    url = reverse("event-create", args=["PE-LOR", rollout_a.pk])
    assert 'name="override_reason"' not in world.client("coordinator").get(url).text
    response = world.client("coordinator").post(
        url, _new_training(stage=stages["capacitacion"].pk, override_reason="Invited early")
    )
    assert response.status_code == 422
    assert "debe ir primero" in response.text
    assert not rollout_a.events.exists()
