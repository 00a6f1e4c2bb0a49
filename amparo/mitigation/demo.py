"""Demo measures for Loreto: from the library for the high findings of the latest round,
at different points of their lifecycle; one overdue. Marked demo; evidence is a link to
example.org, no document is invented."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from amparo.accounts.models import User
from amparo.assessment import scoring
from amparo.concurrency import next_version
from amparo.mitigation.models import Control, Evidence, Measure, MeasureMove, MeasureStatus
from amparo.territory.models import Region

DAYS_STARTED = 60
LIFECYCLE = [
    MeasureStatus.PROPOSED,
    MeasureStatus.DRAFTING,
    MeasureStatus.APPROVED,
    MeasureStatus.IMPLEMENTED,
    MeasureStatus.VERIFIED,
]


@transaction.atomic
def demo_mitigation_create(*, coordinator: User, admin: User, today: date | None = None) -> int:
    """Create (or bring back) the demo measures, dated around ``today`` (default: the local
    date); returns how many exist."""
    loreto = Region.objects.get(code="PE-LOR")
    latest = loreto.assessments.select_related("matrix").order_by("-number").first()
    if latest is None:
        return 0
    spec = latest.matrix.spec()
    serious = [
        f
        for f in latest.findings.select_related("threat", "sector").order_by("threat__code")
        if scoring.risk_level(spec, *(f.residual or f.inherent)).rank >= 3
    ]
    today = today or timezone.localdate()
    # Before the earliest due date below (today - 20 days), whatever the date.
    starts_on = today - timedelta(days=DAYS_STARTED)
    for index, finding in enumerate(serious[:12]):
        for control in Control.objects.filter(threats=finding.threat).order_by("code")[:2]:
            status = LIFECYCLE[(index + len(control.code)) % len(LIFECYCLE)]
            lookup = {"region": loreto, "control": control, "is_demo": True}
            measure, created = Measure.objects.update_or_create(
                **lookup,
                defaults={
                    "version": next_version(Measure.objects.filter(**lookup)),
                    "sector": control.sector,
                    "kind": control.kind,
                    "title": f"{control.title_es} (demo)",
                    "description": control.description_es,
                    "owner": coordinator,
                    "status": status,
                    "starts_on": starts_on,
                    "due_on": today + timedelta(days=(index * 11) % 90 - 20),
                    "lowers_likelihood": 1,
                    "implemented_by": coordinator if status in LIFECYCLE[3:] else None,
                    "verified_by": admin if status == MeasureStatus.VERIFIED else None,
                },
            )
            measure.findings.add(finding)
            if created:
                measure.policy_items.set(control.policy_items.all())
                MeasureMove.objects.create(
                    measure=measure, from_status="", to_status=status, by=coordinator, note="demo"
                )
            if status in LIFECYCLE[3:] and not measure.evidence.exists():
                Evidence.objects.create(
                    measure=measure,
                    description="Documento de demostración",
                    url="https://example.org/documento-demo",
                    uploaded_by=coordinator,
                )
    return Measure.objects.filter(is_demo=True).count()
