"""The worker's heartbeat round, the start-up checks, ``amparo health`` and the reads of
the operations page."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amparo.ops import jobs, preflight, queries
from amparo.ops.management.commands.db_worker import Heartbeat
from amparo.ops.models import JobState, WorkerBeat

pytestmark = pytest.mark.django_db


def _task(status: str, **fields) -> DBTaskResult:
    now = timezone.now()
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="amparo.imports.tasks.check_import",
        backend_name="default",
        run_after=now,
        **fields,
    )


def test_a_heartbeat_round_beats_recovers_and_runs_due_jobs(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    lost = _task(
        TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=10),
        worker_ids=["gone"],
    )
    heartbeat = Heartbeat("w-1", run_jobs=True)
    heartbeat.tick()
    beat = WorkerBeat.objects.get(worker_id="w-1")
    assert beat.seen_at >= heartbeat.started_at
    lost.refresh_from_db()
    assert lost.status == TaskResultStatus.READY  # requeued for its second attempt
    assert set(JobState.objects.values_list("name", flat=True)) >= set(jobs.REGISTRY)


def test_a_worker_without_jobs_only_beats(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    Heartbeat("w-2", run_jobs=False).tick()
    assert WorkerBeat.objects.filter(worker_id="w-2").exists()
    assert not JobState.objects.exists()


def test_a_heartbeat_round_survives_the_database_being_away(caplog) -> None:
    with mock.patch(
        "amparo.ops.recovery.beat", side_effect=OperationalError("server closed the connection")
    ):
        Heartbeat("w-3", run_jobs=True).tick()  # logged, not raised: tried again next round
    assert "worker heartbeat failed; trying again" in caplog.text


def test_the_heartbeat_thread_stops_when_asked(settings) -> None:
    settings.AMPARO_WORKER_BEAT_SECONDS = 60
    heartbeat = Heartbeat("w-4", run_jobs=False)
    heartbeat.start()
    heartbeat.stopping.set()
    heartbeat.join(timeout=5)
    assert not heartbeat.is_alive()


def test_start_up_checks_name_each_problem_and_exit_3(settings, tmp_path, capsys) -> None:
    settings.MEDIA_ROOT = tmp_path
    assert preflight.problems() == []
    preflight.exit_on_problems()  # nothing wrong: returns
    settings.MEDIA_ROOT = tmp_path / "missing"
    with pytest.raises(SystemExit) as stopped:
        preflight.exit_on_problems(database=True, media=True)
    assert stopped.value.code == 3
    assert capsys.readouterr().err == (
        f"amparo: MEDIA_ROOT {tmp_path / 'missing'} is not a folder (create it or fix MEDIA_ROOT)\n"
    )
    assert preflight.problems(media=False) == []


def test_a_developers_checkout_gets_its_media_folder_made(settings, tmp_path) -> None:
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    assert preflight.problems() == []
    assert (tmp_path / "media").is_dir()


def test_amparo_health_prints_every_check_and_fails_when_one_does(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.AMPARO_MIN_FREE_DISK_MB = 0
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w", started_at=now, seen_at=now)
    call_command("health", stdout=(out := StringIO()))
    lines = out.getvalue().splitlines()
    assert lines[1:] == ["database: ok", "migrations: ok", "worker: ok", "media: ok", "disk: ok"]
    WorkerBeat.objects.all().delete()
    with pytest.raises(CommandError, match="not ready: worker"):
        call_command("health", stdout=StringIO())


def test_the_queue_counts_waiting_running_and_recent_failures() -> None:
    now = timezone.now()
    _task(TaskResultStatus.READY)
    _task(TaskResultStatus.READY)
    _task(TaskResultStatus.RUNNING, started_at=now)
    _task(TaskResultStatus.FAILED, finished_at=now - timedelta(hours=2))
    _task(TaskResultStatus.FAILED, finished_at=now - timedelta(days=2))
    _task(TaskResultStatus.SUCCESSFUL, finished_at=now)
    assert queries.queue_counts(now) == {"waiting": 2, "running": 1, "failed_last_day": 1}
    assert [t.finished_at for t in queries.failed_tasks()] == [
        now - timedelta(hours=2),
        now - timedelta(days=2),
    ]


def test_the_job_rows_list_every_registered_job_with_its_state_and_next_run() -> None:
    state = jobs.run_job(jobs.EXPIRE_REPORTS)
    rows = {row.job.name: row for row in queries.job_rows()}
    assert set(rows) == set(jobs.REGISTRY)
    assert rows["expire-reports"].state == state
    assert rows["expire-reports"].next_due == state.last_started_at + timedelta(hours=1)
    assert rows["reminders"].state is None and rows["reminders"].next_due is None


def test_the_workers_are_listed_latest_first() -> None:
    now = timezone.now()
    for n in range(3):
        WorkerBeat.objects.create(
            worker_id=f"w{n}", started_at=now, seen_at=now - timedelta(minutes=n)
        )
    assert [w.worker_id for w in queries.workers(limit=2)] == ["w0", "w1"]
