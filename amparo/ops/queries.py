"""Reads for the operations page: the recurring jobs with their last run, the workers seen,
and the queue's counts. A fixed handful of queries whatever the data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amparo.ops import jobs
from amparo.ops.models import JobState, WorkerBeat


@dataclass(frozen=True)
class JobRow:
    job: jobs.Job
    state: JobState | None
    next_due: datetime | None


def job_rows() -> list[JobRow]:
    states = {s.name: s for s in JobState.objects.filter(name__in=list(jobs.REGISTRY))}
    return [
        JobRow(job, states.get(name), jobs.next_due(job, states.get(name)))
        for name, job in sorted(jobs.REGISTRY.items())
    ]


def workers(limit: int = 20) -> list[WorkerBeat]:
    return list(WorkerBeat.objects.order_by("-seen_at")[:limit])


def queue_counts(now: datetime | None = None) -> dict[str, int]:
    """Tasks waiting and running now, and those failed in the last day."""
    now = now or timezone.now()
    by_status = dict(
        DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    failed = DBTaskResult.objects.filter(
        status=TaskResultStatus.FAILED, finished_at__gte=now - timedelta(days=1)
    ).count()
    return {
        "waiting": by_status.get(TaskResultStatus.READY, 0),
        "running": by_status.get(TaskResultStatus.RUNNING, 0),
        "failed_last_day": failed,
    }


def failed_tasks(limit: int = 10) -> list[DBTaskResult]:
    """The latest failures: task name, when, and the reason's last line."""
    return list(
        DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
        .only("id", "task_path", "finished_at", "exception_class_path", "traceback")
        .order_by("-finished_at")[:limit]
    )
