"""Demo assessment rounds: Loreto with a completed first round (consistent, so it completes
without problems) and a second one under way, Ucayali half-way through its first. Ratings
are synthetic (a seeded generator) and every evidence text says it is invented."""

from __future__ import annotations

import random
from datetime import date

from django.db import transaction
from django.utils import timezone

from amparo.assessment import services
from amparo.assessment.models import Assessment, Confidence, Finding, RoundStatus, Threat
from amparo.concurrency import next_version
from amparo.territory.models import Region, Sector

EVIDENCE = "Evidencia de demostración: datos inventados, no describen a ninguna institución real."
COMPLETION_NOTE = (
    "Nota de demostración: la ronda se completó con problemas abiertos para mostrar cómo "
    "queda registrado el motivo (datos inventados)."
)


def _rate(rng: random.Random, *, lowered: bool) -> dict[str, object]:
    """Synthetic ratings; ``lowered=False`` credits the controls with no effect, so the
    ratings stay consistent whatever measures the region records later."""
    likelihood, impact = rng.randint(2, 5), rng.randint(3, 5)
    drop = rng.randint(0, 2)
    return {
        "inherent_likelihood": likelihood,
        "inherent_impact": impact,
        "residual_likelihood": max(1, likelihood - drop) if lowered else likelihood,
        "residual_impact": impact,
        "confidence": rng.choice(list(Confidence.values)),
        "evidence": EVIDENCE,
        "evidence_source": "Entrevista con la oficina (demo)",
        "current_controls": "Controles descritos por la oficina (demo).",
        "is_demo": True,
    }


def _round(region: Region, number: int, status: str, started: date, previous=None) -> Assessment:
    assessment, _created = Assessment.objects.update_or_create(
        region=region,
        number=number,
        defaults={
            "status": status,
            "matrix": services.matrix_default_ensure(),
            "previous": previous,
            "started_on": started,
            "is_demo": True,
            "completed_at": timezone.now() if status == RoundStatus.COMPLETED else None,
        },
    )
    return assessment


def _findings(
    assessment: Assessment, sectors: list[Sector], per_sector: int, seed: int, *, lowered: bool
) -> None:
    rng = random.Random(seed)  # noqa: S311 - synthetic demo numbers
    for sector in sectors:
        for threat in Threat.objects.filter(sector=sector).order_by("code")[:per_sector]:
            lookup = {"assessment": assessment, "threat": threat}
            version = next_version(Finding.objects.filter(**lookup))
            Finding.objects.update_or_create(
                **lookup,
                defaults={"sector": sector, "version": version, **_rate(rng, lowered=lowered)},
            )


@transaction.atomic
def demo_assessment_create() -> int:
    """Create (or bring back) the demo rounds; returns how many demo findings exist."""
    if not Threat.objects.exists():
        return 0
    sectors = list(Sector.objects.order_by("code"))
    loreto, ucayali = Region.objects.get(code="PE-LOR"), Region.objects.get(code="PE-UCA")
    first = _round(loreto, 1, RoundStatus.IN_REVIEW, date(2025, 8, 4))
    _findings(first, sectors, 3, seed=1, lowered=False)
    # Completed by the same rule as on the round page: open problems need a reason.
    services.assessment_move(
        assessment=first, to=RoundStatus.COMPLETED, by=None, override_reason=COMPLETION_NOTE
    )
    second = _round(loreto, 2, RoundStatus.IN_PROGRESS, date(2026, 8, 3), previous=first)
    _findings(second, sectors, 3, seed=1, lowered=True)  # round 1's threats, controls credited ...
    for finding in second.findings.order_by("threat__code")[:: len(sectors)]:  # ... re-rated
        finding.residual_likelihood = max(1, (finding.residual_likelihood or 2) - 1)
        finding.version += 1
        finding.save(update_fields=["residual_likelihood", "version"])
    _round(ucayali, 1, RoundStatus.IN_PROGRESS, date(2026, 3, 2))
    _findings(
        Assessment.objects.get(region=ucayali, number=1), sectors[:5], 2, seed=3, lowered=True
    )
    return Finding.objects.filter(is_demo=True).count()
