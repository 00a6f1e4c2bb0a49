"""A task whose worker died is put back in the queue once, then failed with its reason, and
so is the import or report it was making: nobody's page waits for ever."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amparo.imports.models import ImportJob, JobStatus
from amparo.ops import recovery
from amparo.ops.models import WorkerBeat
from amparo.reports.models import ReportFile, ReportStatus

pytestmark = pytest.mark.django_db


def _running(task_path: str, args: list, *, workers: list[str], minutes_ago: float = 5):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=minutes_ago),
        args_kwargs={"args": args, "kwargs": {}},
        task_path=task_path,
        worker_ids=workers,
        backend_name="default",
        run_after=timezone.now() - timedelta(minutes=minutes_ago),
    )


def _import_job(world, status: str) -> ImportJob:
    return ImportJob.objects.create(
        kind="indicator-values",
        region=world.region_a,
        created_by=world.users["coordinator"],
        original_name="valores.csv",
        status=status,
    )


def test_the_task_of_a_dead_worker_is_requeued_once_then_failed_with_its_import(world) -> None:
    job = _import_job(world, JobStatus.WRITING)
    task = _running("amparo.imports.tasks.write_import", [str(job.pk)], workers=["dead"])
    assert recovery.recover_lost_tasks() == {"requeued": 1, "failed": 0}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY and task.started_at is None
    job.refresh_from_db()
    assert job.status == JobStatus.WRITING  # still to be written by the next attempt
    # The second attempt's worker dies too: given up, with the reason on the import.
    DBTaskResult.objects.filter(pk=task.pk).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=5),
        worker_ids=["dead", "dead-too"],
    )
    assert recovery.recover_lost_tasks() == {"requeued": 0, "failed": 1}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path == "amparo.ops.recovery.WorkerLost"
    assert "stopped while running this task" in task.traceback
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.problems[0][2] == "worker_lost"
    assert job.finished_at is not None


def test_the_task_of_a_living_worker_is_left_alone(world) -> None:
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="alive", started_at=now, seen_at=now)
    task = _running("amparo.imports.tasks.check_import", ["x"], workers=["alive"])
    assert recovery.recover_lost_tasks() == {"requeued": 0, "failed": 0}
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_just_started_is_given_time_for_its_first_heartbeat(world) -> None:
    _running("amparo.imports.tasks.check_import", ["x"], workers=["new"], minutes_ago=0.1)
    assert recovery.recover_lost_tasks() == {"requeued": 0, "failed": 0}


def test_a_task_past_the_timeout_fails_even_with_a_living_worker(world, settings) -> None:
    settings.AMPARO_TASK_TIMEOUT_MINUTES = 30
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="alive", started_at=now, seen_at=now)
    report = ReportFile.objects.create(
        kind="executive",
        file_format="pdf",
        lang="es",
        data_key="k",
        created_by=world.users["coordinator"],
        expires_at=now + timedelta(days=1),
        status=ReportStatus.RUNNING,
    )
    task = _running(
        "amparo.reports.tasks.generate_report",
        [str(report.pk), []],
        workers=["alive"],
        minutes_ago=31,
    )
    assert recovery.recover_lost_tasks() == {"requeued": 0, "failed": 1}
    task.refresh_from_db()
    assert "longer than 30 minutes" in task.traceback
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED


def test_a_finished_import_is_not_failed_afterwards(world, settings) -> None:
    settings.AMPARO_TASK_ATTEMPTS = 1
    job = _import_job(world, JobStatus.DONE)
    _running("amparo.imports.tasks.write_import", [str(job.pk)], workers=["dead"])
    assert recovery.recover_lost_tasks() == {"requeued": 0, "failed": 1}
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


def test_heartbeats_record_each_worker_once() -> None:
    started = timezone.now()
    recovery.beat("w1", started_at=started)
    recovery.beat("w1", started_at=started, now=started + timedelta(seconds=10))
    beat = WorkerBeat.objects.get()
    assert beat.seen_at == started + timedelta(seconds=10) and beat.pid > 0
    assert [w.worker_id for w in recovery.workers_alive(started)] == ["w1"]


def test_pages_waiting_for_a_worker_that_is_not_running_say_so(world, settings) -> None:
    from django.urls import reverse

    from amparo.reports.services import report_request

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    report, _ = report_request(
        regions=[world.region_a],
        region=world.region_a,
        kind="executive",
        file_format="pdf",
        lang="es",
        donor=False,
        since=None,
        by=world.users["coordinator"],
    )
    client = world.client("coordinator")
    url = reverse("report-status", args=[report.pk])
    assert "no está funcionando" in client.get(url).content.decode()
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w", started_at=now, seen_at=now)
    assert "no está funcionando" not in client.get(url).content.decode()


def test_with_the_immediate_backend_no_worker_is_needed(settings) -> None:
    from amparo.ops import health

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert health.waiting_without_worker() is False
