"""A report is handed out again only while everything it reads is unchanged and it is
ready or still being made; stuck and expired reports give way to new ones."""

from __future__ import annotations

import os
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from amparo.partnerships.models import NextStep
from amparo.reports import services
from amparo.reports.models import ReportFile, ReportStatus
from amparo.rollout import services as rollout_services
from amparo.rollout.models import GroupReport, RecoveryGroup


def _ask(world, user: str = "coordinator") -> tuple[ReportFile, bool]:
    return services.report_request(
        regions=[world.region_a],
        region=world.region_a,
        kind="executive",
        file_format="pdf",
        lang="es",
        donor=False,
        since=None,
        by=world.users[user],
    )


def _done(report: ReportFile) -> None:
    ReportFile.objects.filter(pk=report.pk).update(status=ReportStatus.DONE)


def test_recording_attendance_makes_a_new_report(world, loreto) -> None:
    first, _ = _ask(world)
    _done(first)
    assert _ask(world) == (first, True)
    attendance = rollout_services.attendance_record(
        event=loreto.event, organization=loreto.church, pastors=3, leaders=0, others=0
    )
    second, reused = _ask(world)
    assert not reused and second != first
    _done(second)
    attendance.pastors = 4  # a correction changes no count and no change time
    attendance.save()
    assert _ask(world)[1] is False


def test_group_reports_and_next_steps_make_a_new_report(world, loreto) -> None:
    first, _ = _ask(world)
    _done(first)
    group = RecoveryGroup.objects.create(
        rollout=loreto.rollout, church=loreto.church, launched_on=date(2026, 1, 5), meeting_day=1
    )
    second, reused = _ask(world)
    assert not reused
    _done(second)
    GroupReport.objects.create(
        group=group, month=date(2026, 2, 1), meetings_held=4, total_attendance=30
    )
    third, reused = _ask(world)
    assert not reused
    _done(third)
    NextStep.objects.update(done_on=date(2026, 3, 1))
    assert _ask(world)[1] is False


@pytest.mark.parametrize("status", [ReportStatus.QUEUED, ReportStatus.RUNNING])
def test_a_stuck_report_gives_way_to_a_new_one(world, status) -> None:
    first, _ = _ask(world)
    ReportFile.objects.filter(pk=first.pk).update(status=status)
    assert _ask(world) == (first, True)  # still being made: wait for it
    ReportFile.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - services.STUCK_AFTER - timedelta(seconds=1)
    )
    second, reused = _ask(world)
    assert not reused and second != first


def _expired_report(world) -> ReportFile:
    report, _ = _ask(world)
    report.file.save(str(report.pk), ContentFile(b"%PDF-1.7"), save=False)
    report.status = ReportStatus.DONE
    report.expires_at = timezone.now() - timedelta(minutes=1)
    report.save()
    return report


def test_asking_for_a_report_deletes_expired_ones_with_their_files(world) -> None:
    old = _expired_report(world)
    path = old.file.path
    fresh, reused = _ask(world, "focal")
    assert not reused
    assert list(ReportFile.objects.all()) == [fresh]
    assert not os.path.exists(path)


def test_the_expire_command_deletes_expired_reports(world) -> None:
    old = _expired_report(world)
    path = old.file.path
    kept, _ = _ask(world, "focal")
    out = StringIO()
    call_command("expire_reports", stdout=out)
    assert "deleted 0" in out.getvalue()  # the request above already deleted it
    assert not os.path.exists(path)
    ReportFile.objects.filter(pk=kept.pk).update(expires_at=timezone.now())
    call_command("expire_reports", stdout=out)
    assert "deleted 1" in out.getvalue() and not ReportFile.objects.exists()


def test_a_new_report_covers_the_time_since_the_previous_one(world, loreto) -> None:
    first, _ = _ask(world)
    assert first.since is None  # the summary starts at the round
    _done(first)
    ReportFile.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(days=30))
    loreto.tourism_measure.save()
    second, reused = _ask(world)
    assert not reused
    assert second.since == timezone.localdate() - timedelta(days=30)
