"""Background work for imports of every kind: checking a large file and writing it can take
a while, so the page shows progress while a worker (``amparo db_worker``) does it."""

from __future__ import annotations

from django_tasks import task

from amparo.imports import services
from amparo.imports.models import ImportJob


def _job(job_id: str) -> ImportJob:
    return ImportJob.objects.select_related("region", "created_by", "confirmed_by").get(pk=job_id)


@task()
def check_import(job_id: str) -> None:
    services.import_check(job=_job(job_id))


@task()
def write_import(job_id: str) -> None:
    services.import_write(job=_job(job_id))
