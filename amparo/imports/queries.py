"""Read-side functions for the pages of import jobs."""

from __future__ import annotations

from django.db.models import Model, QuerySet

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
