"""Audits asked for on the page: queued, run by the worker, their result kept."""

from __future__ import annotations

import dataclasses

from amparo.accounts.models import User
from amparo.disclosure import checks
from amparo.disclosure.models import AuditRun, AuditState

KEPT = 20  # the most recent runs kept; older ones go when a new one is asked for


def audit_request(
    *, by: User, username: str = "", role: str = "", region: str = "", donor: bool = False
) -> AuditRun:
    run = AuditRun.objects.create(
        username=username, role=role, region=region, donor=donor, created_by=by
    )
    old = AuditRun.objects.order_by("-created_at").values_list("pk", flat=True)[KEPT:]
    AuditRun.objects.filter(pk__in=list(old)).delete()
    return run


def audit_run(*, run: AuditRun) -> AuditRun:
    """Run the audit of ``run``'s reader, saving progress as it goes and the result. (A
    synthetic reader's gathering runs in a transaction that is rolled back, so its steps
    show once solving starts.)"""

    def progress(step: str) -> None:
        AuditRun.objects.filter(pk=run.pk).update(state=AuditState.RUNNING, progress=step[:200])

    progress("starting")
    try:
        result = checks.check(
            username=run.username,
            role=run.role,
            region=run.region,
            donor=run.donor,
            progress=progress,
        )
    except Exception as error:
        AuditRun.objects.filter(pk=run.pk).update(
            state=AuditState.FAILED, progress=f"{type(error).__name__}: {error}"[:200]
        )
        raise
    run.result = {**dataclasses.asdict(result), "ok": result.ok}
    run.state = AuditState.DONE
    run.progress = ""
    run.save(update_fields=["result", "state", "progress"])
    return run
