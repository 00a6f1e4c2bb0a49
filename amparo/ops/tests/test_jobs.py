"""Recurring jobs: each runs once per period whoever asks (worker, cron, a second server),
its last run and outcome are kept, and a process that died does not block it for ever."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from amparo.ops import jobs
from amparo.ops.models import JobState

pytestmark = pytest.mark.django_db


@pytest.fixture
def counted():
    calls = []

    def run() -> str:
        calls.append(1)
        return f"did {len(calls)}"

    job = jobs.Job("test-job", "Test job", timedelta(hours=1), run)
    jobs.register(job)
    yield job, calls
    jobs.REGISTRY.pop("test-job")


def test_a_job_runs_once_per_period_and_records_its_outcome(counted) -> None:
    job, calls = counted
    state = jobs.run_job(job)
    assert state.last_outcome == "ok" and state.last_message == "did 1"
    assert state.last_ok_at is not None and state.lease_until is None
    assert jobs.run_job(job) is None  # within the hour: not again
    assert jobs.run_job(job, now=timezone.now() + timedelta(hours=1, seconds=1)) is not None
    assert len(calls) == 2
    assert jobs.run_job(job, force=True).last_message == "did 3"


def test_a_job_held_by_another_process_is_skipped_until_its_lease_ends(counted) -> None:
    job, calls = counted
    now = timezone.now()
    JobState.objects.create(name=job.name, lease_until=now + timedelta(minutes=5))
    assert jobs.run_job(job, force=True) is None
    assert calls == []
    # The other process died: once its lease is over, the job is taken over.
    assert jobs.run_job(job, now=now + timedelta(minutes=6)).last_outcome == "ok"


def test_a_failing_job_is_recorded_with_its_reason_and_does_not_raise() -> None:
    def broken() -> str:
        raise RuntimeError("mail server refused")

    state = jobs.run_job(jobs.Job("broken", "Broken", timedelta(hours=1), broken))
    assert state.last_outcome == "failed"
    assert state.last_message == "RuntimeError: mail server refused"
    assert state.last_ok_at is None and state.lease_until is None


def test_run_due_runs_every_registered_job_that_is_due(counted) -> None:
    ran = jobs.run_due()
    assert {"reminders", "expire-reports", "prune-imports", "test-job"} <= set(ran)
    assert all(state.last_outcome == "ok" for state in ran.values())
    assert jobs.run_due() == {}


def test_run_jobs_from_cron_is_harmless(counted) -> None:
    _, calls = counted
    call_command("run_jobs", job="test-job", stdout=(out := StringIO()))
    call_command("run_jobs", job="test-job", stdout=out)
    assert out.getvalue().splitlines() == [
        "test-job: ok did 1",
        "test-job: skipped (not due, or running elsewhere)",
    ]
    assert len(calls) == 1


def test_run_jobs_exits_non_zero_when_a_job_failed() -> None:
    def broken() -> str:
        raise ValueError("nope")

    jobs.register(jobs.Job("broken-cmd", "Broken", timedelta(hours=1), broken))
    try:
        with pytest.raises(CommandError, match="failed: broken-cmd"):
            call_command("run_jobs", job="broken-cmd", stdout=StringIO())
    finally:
        jobs.REGISTRY.pop("broken-cmd")


def test_next_due_is_a_period_after_the_last_start(counted) -> None:
    job, _ = counted
    assert jobs.next_due(job, None) is None
    state = jobs.run_job(job)
    assert jobs.next_due(job, state) == state.last_started_at + timedelta(hours=1)


def test_reminders_from_cron_and_from_the_worker_are_sent_once_a_day(world) -> None:
    from amparo.mitigation.models import Measure

    world.users["coordinator"].email = "coord@example.org"
    world.users["coordinator"].save()
    Measure.objects.create(
        region=world.region_a,
        sector=world.sector,
        kind="policy",
        title="Vencida",
        status="drafting",
        owner=world.users["coordinator"],
        due_on=timezone.localdate() - timedelta(days=1),
    )
    call_command("remind", stdout=(out := StringIO()))
    assert "sent 1 e-mail" in out.getvalue()
    jobs.run_due()  # the worker, later the same day
    call_command("remind", stdout=out)
    assert "not sent, they were sent within the last day" in out.getvalue()
    assert len(mail.outbox) == 1
    call_command("remind", force=True, stdout=out)
    assert len(mail.outbox) == 2


def test_a_job_can_be_registered_by_another_app() -> None:
    sync = jobs.register(
        dataclasses.replace(jobs.PRUNE_IMPORTS, name="field-sync", run=lambda: "0 synced")
    )
    try:
        assert jobs.REGISTRY["field-sync"] is sync
        assert jobs.run_due()["field-sync"].last_message == "0 synced"
    finally:
        jobs.REGISTRY.pop("field-sync")
