"""Reads for the operations page: the recurring jobs with their last run, the workers seen,
the queue's counts and the disclosure protections. A fixed handful of queries whatever the
data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amparo.disclosure import audience, counted
from amparo.disclosure.models import AudienceUse, ProtectionState, StoredProtection
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


@dataclass(frozen=True)
class ProtectionRow:
    """One stored protection of the current data version, described for a person."""

    k: int
    public: bool  # donors and the public
    known_regions: tuple[str, ...] | None  # None when no page asked for it lately
    program_known: bool
    state: str
    state_label: str
    updated_at: datetime
    duration_seconds: float | None
    needs_action: bool  # failed, or running/queued past the task timeout


@dataclass(frozen=True)
class ProtectionStatus:
    version: str
    rows: list[ProtectionRow]
    older_kept: int


def protection_status(now: datetime | None = None) -> ProtectionStatus:
    """The stored disclosure protections of the current data version and how many of older
    versions are kept: four queries whatever the number of reader types. The reader type is
    described from ``AudienceUse`` (a protection's row only holds a hash of it)."""
    now = now or timezone.now()
    version = counted.data_version()
    current = list(
        StoredProtection.objects.filter(version=version)
        .only("audience", "k", "state", "updated_at", "duration_seconds")
        .order_by("-updated_at", "pk")
    )
    older = StoredProtection.objects.exclude(version=version).count()
    uses = {
        use.audience: use
        for use in AudienceUse.objects.filter(audience__in=[p.audience for p in current])
    }
    public_key = audience.audience_key(audience.public_audience())
    lost = now - timedelta(minutes=settings.AMPARO_TASK_TIMEOUT_MINUTES)
    labels = dict(ProtectionState.choices)
    rows = []
    for p in current:
        use = uses.get(p.audience)
        stale = p.state != ProtectionState.DONE and p.updated_at < lost
        rows.append(
            ProtectionRow(
                k=p.k,
                public=p.audience == public_key,
                known_regions=tuple(use.known_regions) if use else None,
                program_known=bool(use and use.program_known),
                state=p.state,
                state_label=str(labels.get(p.state, p.state)),
                updated_at=p.updated_at,
                duration_seconds=p.duration_seconds,
                needs_action=p.state == ProtectionState.FAILED or stale,
            )
        )
    return ProtectionStatus(version, rows, older)
