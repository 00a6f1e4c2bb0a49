"""Work the worker does for disclosure control: audits asked for on the page, and the
protections too large to work out inside a web request."""

from __future__ import annotations

from django_tasks import task

from amparo.disclosure import services
from amparo.disclosure.models import AuditRun


@task()
def run_audit(run_id: str) -> None:
    services.audit_run(run=AuditRun.objects.get(pk=run_id))


@task()
def protect_audience(k: int, known_regions: list[str], program_known: bool) -> int:
    """Store the protection of one audience at the current data version; returns how many
    cells it hides."""
    from amparo.disclosure import release

    audience = release.Audience(k, frozenset(known_regions), program_known)
    return len(release.protect_audience_now(audience).hidden)
