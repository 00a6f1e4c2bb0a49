"""Audits run by the worker; the page shows their progress meanwhile. (The worker's other
disclosure task, ``worker_protection.protect_audience``, lives with the code that queues it.)"""

from __future__ import annotations

from django_tasks import task

from amparo.disclosure import services
from amparo.disclosure.models import AuditRun


@task()
def run_audit(run_id: str) -> None:
    services.audit_run(run=AuditRun.objects.get(pk=run_id))
