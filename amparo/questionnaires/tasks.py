"""Background work for imports: reading a large file and writing it can take a while, so
the page shows progress while a worker (``amparo db_worker``) does it."""

from __future__ import annotations

from django_tasks import task

from amparo.questionnaires import services
from amparo.questionnaires.models import ImportJob


@task()
def read_import(job_id: str) -> None:
    services.import_read(job=ImportJob.objects.select_related("assessment__region").get(pk=job_id))


@task()
def write_import(job_id: str) -> None:
    services.import_write(job=ImportJob.objects.select_related("assessment__region").get(pk=job_id))
