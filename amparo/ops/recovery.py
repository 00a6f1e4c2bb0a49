"""Background tasks whose worker died (killed, out of memory, the machine restarted) stay
"running" in the queue forever unless someone notices. Every living worker looks on each
heartbeat: a task whose worker has not been seen for ``AMPARO_WORKER_LOST_SECONDS``, or
that has run longer than ``AMPARO_TASK_TIMEOUT_MINUTES``, is put back in the queue once
(its work is one transaction, so the killed attempt left nothing half-written) and, after
``AMPARO_TASK_ATTEMPTS`` attempts, marked failed with the reason, and so is what it was
making: the import or report page then says so instead of waiting.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amparo.ops.models import WorkerBeat

logger = logging.getLogger("amparo.worker")

LOST_REASON = (
    "The background worker stopped while running this task (killed or restarted) and it "
    "was not finished after {attempts} attempt(s); nothing of it was saved."
)
TIMEOUT_REASON = "The task ran longer than {minutes} minutes and was stopped being waited for."


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker died."""


def _import_lost(args: list, kwargs: dict) -> None:
    from amparo.imports.models import RUNNING, ImportJob
    from amparo.imports.services import fail_job

    job = ImportJob.objects.filter(pk=(args or [kwargs.get("job_id")])[0]).first()
    if job is not None and job.status in RUNNING:
        fail_job(job=job, reason="worker_lost")


def _report_lost(args: list, kwargs: dict) -> None:
    from amparo.reports.models import ReportFile, ReportStatus

    ReportFile.objects.filter(
        pk=(args or [kwargs.get("report_id")])[0],
        status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING],
    ).update(status=ReportStatus.FAILED, failure="worker_lost")


# What a task was making, marked failed when the task is given up.
ON_GIVE_UP: dict[str, Callable[[list, dict], None]] = {
    "amparo.imports.tasks.check_import": _import_lost,
    "amparo.imports.tasks.write_import": _import_lost,
    "amparo.reports.tasks.generate_report": _report_lost,
}


def beat(worker_id: str, *, started_at: datetime, now: datetime | None = None) -> None:
    now = now or timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerBeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:100],
            pid=os.getpid(),
            started_at=started_at,
            seen_at=now,
        )


def workers_alive(now: datetime | None = None) -> list[WorkerBeat]:
    now = now or timezone.now()
    lost_after = timedelta(seconds=settings.AMPARO_WORKER_LOST_SECONDS)
    return list(WorkerBeat.objects.filter(seen_at__gte=now - lost_after))


def recover_lost_tasks(*, now: datetime | None = None) -> dict[str, int]:
    """Requeue or fail the tasks of dead workers and those past the timeout; returns how
    many of each. Each change is one conditional UPDATE, so two workers looking at once do
    it once."""
    now = now or timezone.now()
    lost_after = timedelta(seconds=settings.AMPARO_WORKER_LOST_SECONDS)
    timeout = timedelta(minutes=settings.AMPARO_TASK_TIMEOUT_MINUTES)
    alive = {w.worker_id for w in workers_alive(now)}
    done = {"requeued": 0, "failed": 0}
    running = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - lost_after
    )
    for result in running:
        overdue = result.started_at < now - timeout
        worker = result.worker_ids[-1] if result.worker_ids else None
        if worker in alive and not overdue:
            continue
        still = DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING)
        attempts = len(result.worker_ids)
        if not overdue and attempts < settings.AMPARO_TASK_ATTEMPTS:
            if still.update(status=TaskResultStatus.READY, started_at=None):
                done["requeued"] += 1
                logger.warning("task %s requeued: its worker is gone", result.pk)
            continue
        reason = (
            TIMEOUT_REASON.format(minutes=settings.AMPARO_TASK_TIMEOUT_MINUTES)
            if overdue
            else LOST_REASON.format(attempts=attempts)
        )
        if still.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=reason,
        ):
            done["failed"] += 1
            logger.warning("task %s failed: %s", result.pk, reason)
            handler = ON_GIVE_UP.get(result.task_path)
            if handler is not None:
                handler(result.args_kwargs.get("args", []), result.args_kwargs.get("kwargs", {}))
    return done
