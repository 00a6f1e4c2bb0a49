"""Stage order, admin override, completion and attendance rules, through the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from amparo.rollout import services
from amparo.rollout.models import Attendance, EventStatus
from amparo.rollout.tests.conftest import make_event

D = date(2025, 3, 10)


def _plan(rollout, stage, start, by, **extra):
    return services.event_save(
        rollout=rollout,
        by=by,
        stage=stage,
        status=extra.pop("status", EventStatus.PLANNED),
        starts_on=start,
        ends_on=start + timedelta(days=stage.typical_days - 1),
        city="Iquitos",
        **extra,
    )


@pytest.fixture(autouse=True)
def _english_messages():
    # Service messages are asserted in English; pages are tested in Spanish elsewhere.
    with translation.override("en"):
        yield


def test_it_refuses_a_conference_before_any_meeting(world, rollout_a, stages) -> None:
    with pytest.raises(services.StageOrderError) as refused:
        _plan(rollout_a, stages["conferencia"], D, world.users["coordinator"])
    assert "Initial meetings" in refused.value.messages[0]
    assert rollout_a.events.count() == 0


def test_it_plans_a_conference_after_the_meeting_and_its_gap(world, rollout_a, stages) -> None:
    coordinator = world.users["coordinator"]
    meeting = _plan(rollout_a, stages["reuniones"], D, coordinator)
    earliest = meeting.ends_on + timedelta(days=1 + 21)
    with pytest.raises(services.StageOrderError, match="2025-04-02"):
        _plan(rollout_a, stages["conferencia"], earliest - timedelta(days=1), coordinator)
    conference = _plan(rollout_a, stages["conferencia"], earliest, coordinator)
    assert conference.override_reason == ""


def test_a_program_admin_may_override_and_the_reason_is_recorded(world, rollout_a, stages) -> None:
    admin = world.users["admin"]
    event = _plan(rollout_a, stages["capacitacion"], D, admin, override_reason="Invited early")
    assert event.override_reason == "Invited early"
    assert event.override_by == admin


def test_a_coordinator_cannot_override(world, rollout_a, stages) -> None:
    with pytest.raises(services.StageOrderError):
        _plan(rollout_a, stages["capacitacion"], D, world.users["coordinator"],
              override_reason="Please")  # fmt: skip


def test_an_admin_without_a_reason_is_refused_too(world, rollout_a, stages) -> None:
    with pytest.raises(services.StageOrderError):
        _plan(rollout_a, stages["capacitacion"], D, world.users["admin"], override_reason="  ")


def test_completing_needs_the_prerequisites_done(world, rollout_a, stages) -> None:
    coordinator = world.users["coordinator"]
    meeting = _plan(rollout_a, stages["reuniones"], D, coordinator)
    conference = _plan(rollout_a, stages["conferencia"], D + timedelta(days=30), coordinator)
    with pytest.raises(services.StageOrderError, match="must be done first"):
        services.event_complete(event=conference, by=coordinator)
    services.event_complete(event=meeting, by=coordinator)
    services.event_complete(event=conference, by=coordinator)
    conference.refresh_from_db()
    assert conference.status == EventStatus.DONE


def test_it_refuses_marking_a_future_event_done(world, rollout_a, stages) -> None:
    future = timezone.localdate() + timedelta(days=10)
    event = _plan(rollout_a, stages["reuniones"], future, world.users["coordinator"])
    with pytest.raises(ValidationError, match="before it starts"):
        services.event_complete(event=event, by=world.users["coordinator"])


def test_it_refuses_an_end_before_the_start(world, rollout_a, stages) -> None:
    with pytest.raises(ValidationError, match="end date"):
        services.event_save(
            rollout=rollout_a, by=world.users["coordinator"], stage=stages["reuniones"],
            status="planned", starts_on=D, ends_on=D - timedelta(days=1), city="Iquitos",
        )  # fmt: skip


def test_it_refuses_a_stage_of_another_playbook(world, rollout_a, playbook) -> None:
    from amparo.rollout.models import Playbook, Stage

    other = Playbook.objects.create(code="otro", name_es="Otro", name_en="Other")
    stray = Stage.objects.create(playbook=other, code="x", order=1, kind="other",
                                 name_es="X", name_en="X")  # fmt: skip
    with pytest.raises(ValidationError, match="another playbook"):
        _plan(rollout_a, stray, D, world.users["admin"])


def test_attendance_is_counts_per_church_with_capacity_warnings(
    world, rollout_a, stages, church_a
) -> None:
    from amparo.rollout.queries import event_attendance

    training = make_event(rollout_a, stages["capacitacion"], D, status="done")
    services.attendance_record(event=training, organization=church_a, pastors=51, leaders=2,
                               others=0)  # fmt: skip
    services.attendance_record(event=training, organization=church_a, pastors=40, leaders=2,
                               others=0)  # fmt: skip
    assert Attendance.objects.get(event=training).pastors == 40
    summary = event_attendance(training)
    assert (summary.pastors, summary.churches, summary.warnings) == (40, 1, [])
    services.attendance_record(event=training, organization=church_a, pastors=55, leaders=0,
                               others=0)  # fmt: skip
    assert [w.what for w in event_attendance(training).warnings] == ["pastors"]


def test_attendance_refuses_another_region_and_negative_counts(world, rollout_a, stages) -> None:
    from amparo.territory.models import Organization

    event = make_event(rollout_a, stages["reuniones"], D)
    foreign = Organization.objects.create(name="Lejos", kind="church", region=world.region_b)
    with pytest.raises(ValidationError, match="another region"):
        services.attendance_record(event=event, organization=foreign, pastors=1, leaders=0,
                                   others=0)  # fmt: skip
    church = Organization.objects.create(name="Cerca", kind="church", region=world.region_a)
    with pytest.raises(ValidationError):
        services.attendance_record(event=event, organization=church, pastors=-1, leaders=0,
                                   others=0)  # fmt: skip
    assert not Attendance.objects.exists()


def test_group_reports_are_monthly_and_not_in_the_future(world, rollout_a, church_a) -> None:
    group = services.group_save(
        rollout=rollout_a, church=church_a, label="", launch_event=None,
        launched_on=D, meeting_day=1, trained_leaders=3, status="active",
    )  # fmt: skip
    report = services.group_report_record(group=group, month=date(2025, 4, 17), meetings_held=4,
                                          total_attendance=30)  # fmt: skip
    assert report.month == date(2025, 4, 1)
    services.group_report_record(group=group, month=date(2025, 4, 1), meetings_held=3,
                                 total_attendance=20)  # fmt: skip
    assert group.reports.get().total_attendance == 20
    with pytest.raises(ValidationError, match="not started"):
        services.group_report_record(group=group, month=timezone.localdate() + timedelta(days=40),
                                     meetings_held=1, total_attendance=1)  # fmt: skip
    with pytest.raises(ValidationError, match="not been launched"):
        services.group_report_record(group=group, month=date(2025, 1, 1), meetings_held=1,
                                     total_attendance=1)  # fmt: skip


def test_a_group_needs_a_church_of_the_region(world, rollout_a) -> None:
    from amparo.territory.models import Organization

    fraternity = Organization.objects.create(name="F", kind="fraternity", region=world.region_a)
    with pytest.raises(ValidationError, match="church of this region"):
        services.group_save(
            rollout=rollout_a, church=fraternity, label="", launch_event=None,
            launched_on=D, meeting_day=1, trained_leaders=3, status="active",
        )  # fmt: skip
