"""Read-side functions for the pages of import jobs, and a job's visible-or-404 lookup."""

from __future__ import annotations

from django.db.models import Model, QuerySet

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.imports.kinds import ImportKind
from amparo.imports.models import ImportJob, target_filter
from amparo.territory.models import Region


def recent_jobs(
    kind: ImportKind, region: Region, target: Model | None = None, limit: int = 10
) -> QuerySet[ImportJob]:
    """The latest jobs of ``kind`` into ``region`` (and ``target``), with who made them."""
    jobs = ImportJob.objects.filter(kind=kind.name, region=region)
    if target is not None:
        jobs = jobs.filter(**target_filter(target))
    return jobs.select_related("created_by")[:limit]


def problem_rows(job: ImportJob) -> list[dict[str, object]]:
    return [{"row": p[0], "column": p[1], "reason": p[2], "value": p[3]} for p in job.problems]


def import_job_or_404(
    user: User, region: Region, kind: ImportKind, pk: object, target: Model | None = None
) -> ImportJob:
    """A job of ``kind`` into ``region`` (and ``target``): 404 for those who may not see
    the region, 403 for those who see it but may not import this kind there, whoever
    uploaded the job."""
    access.require(user, kind.capability, region)
    jobs = ImportJob.objects.select_related("created_by", "region").filter(
        kind=kind.name, region=region, pk=pk
    )
    if target is not None:
        jobs = jobs.filter(**target_filter(target))
    return access.first_or_404(jobs)
