"""Recurring jobs: a registry of what runs on a schedule (reminders, expiring reports,
pruning abandoned uploads; later the field-server syncs), run by the background worker.

Each run first takes the job's lease in its ``JobState`` row with one conditional UPDATE,
so two workers, several app servers or a cron entry (``amparo run-jobs``) never run the
same job at once, and a job done within its period is not done again. A lease left by a
process that died expires and is taken over.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from amparo.ops.models import JobOutcome, JobState

logger = logging.getLogger("amparo.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    label: str | Promise
    every: timedelta
    run: Callable[[], str]  # does the work; returns a short summary for the operator
    lease: timedelta = timedelta(minutes=30)


REGISTRY: dict[str, Job] = {}


def register(job: Job) -> Job:
    """Add a recurring job (an app's ``ready()`` may register its own, e.g. a sync)."""
    REGISTRY[job.name] = job
    return job


def holder_name() -> str:
    return f"{socket.gethostname()[:80]}:{os.getpid()}"


def _claim(job: Job, *, now: datetime, holder: str, force: bool) -> bool:
    try:
        with transaction.atomic():
            JobState.objects.get_or_create(name=job.name)
    except IntegrityError:
        pass  # another process created it at the same moment
    free = JobState.objects.filter(name=job.name).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )
    if not force:
        free = free.filter(
            Q(last_started_at__isnull=True) | Q(last_started_at__lte=now - job.every)
        )
    taken = free.update(
        lease_until=now + job.lease,
        lease_holder=holder[:100],
        last_started_at=now,
        last_outcome=JobOutcome.RUNNING,
        last_message="",
    )
    return taken == 1


def run_job(job: Job, *, force: bool = False, now: datetime | None = None) -> JobState | None:
    """Run ``job`` if it is due (always with ``force``) and nobody else runs it; returns its
    state afterwards, or None when it was not run. A failure is recorded, not raised."""
    now = now or timezone.now()
    if not _claim(job, now=now, holder=holder_name(), force=force):
        return None
    outcome, message = JobOutcome.OK, ""
    try:
        message = job.run()
    except Exception as error:
        logger.exception("recurring job %s failed", job.name)
        outcome, message = JobOutcome.FAILED, f"{type(error).__name__}: {error}"
    finished = timezone.now()
    changes = {
        "lease_until": None,
        "lease_holder": "",
        "last_finished_at": finished,
        "last_outcome": outcome,
        "last_message": str(message)[:300],
    }
    if outcome == JobOutcome.OK:
        changes["last_ok_at"] = finished
    JobState.objects.filter(name=job.name).update(**changes)
    logger.info("recurring job %s: %s %s", job.name, outcome, message)
    return JobState.objects.get(name=job.name)


def run_due(*, now: datetime | None = None) -> dict[str, JobState]:
    """Run every registered job that is due; returns those that ran."""
    ran = {}
    for job in list(REGISTRY.values()):
        state = run_job(job, now=now)
        if state is not None:
            ran[job.name] = state
    return ran


def next_due(job: Job, state: JobState | None) -> datetime | None:
    """When the job runs next (None: as soon as a worker looks)."""
    if state is None or state.last_started_at is None:
        return None
    return state.last_started_at + job.every


# The jobs amparo itself runs. Each also has its own command, which goes through the same
# lease (``amparo remind``, ``amparo expire-reports``, ``amparo prune-imports``).


def _reminders() -> str:
    from django.conf import settings
    from django.utils import translation

    from amparo.mitigation.services import reminders_send

    with translation.override(settings.LANGUAGE_CODE):
        sent = reminders_send(today=timezone.localdate(), within_days=7, dry_run=False)
    return f"sent {sent} e-mail(s)"


def _expire_reports() -> str:
    from amparo.reports.services import reports_expire

    return f"deleted {reports_expire()} expired report(s)"


def _prune_imports() -> str:
    from amparo.imports.services import ABANDONED_AFTER, import_files_prune

    return f"deleted {import_files_prune(older_than=ABANDONED_AFTER)} abandoned import file(s)"


def _field_syncs() -> str:
    from amparo.fieldservers.services import field_syncs_run_due

    return f"pulled {field_syncs_run_due(timezone.now())} published form(s)"


REMINDERS = register(
    Job("reminders", _("Reminders of due measures"), timedelta(days=1), _reminders)
)
EXPIRE_REPORTS = register(
    Job("expire-reports", _("Delete expired reports"), timedelta(hours=1), _expire_reports)
)
PRUNE_IMPORTS = register(
    Job("prune-imports", _("Delete abandoned uploads"), timedelta(hours=6), _prune_imports)
)
# Every minute: each published form keeps its own next pull time (15 minutes by default);
# the job pulls only those that are due.
FIELD_SYNCS = register(
    Job("field-syncs", _("Pull answers from field servers"), timedelta(minutes=1), _field_syncs)
)
