"""Demo assessment rounds: Loreto with a completed first round and a second one under way,
Ucayali half-way through its first. Ratings are synthetic (a seeded generator) and every
evidence text says it is invented."""

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


def _rate(rng: random.Random) -> dict[str, object]:
    likelihood, impact = rng.randint(2, 5), rng.randint(3, 5)
    return {
        "inherent_likelihood": likelihood,
        "inherent_impact": impact,
        "residual_likelihood": max(1, likelihood - rng.randint(0, 2)),
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


def _findings(assessment: Assessment, sectors: list[Sector], per_sector: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - synthetic demo numbers
    for sector in sectors:
        for threat in Threat.objects.filter(sector=sector).order_by("code")[:per_sector]:
            lookup = {"assessment": assessment, "threat": threat}
            version = next_version(Finding.objects.filter(**lookup))
            Finding.objects.update_or_create(
                **lookup, defaults={"sector": sector, "version": version, **_rate(rng)}
            )


@transaction.atomic
def demo_assessment_create() -> int:
    """Create (or bring back) the demo rounds; returns how many demo findings exist."""
    if not Threat.objects.exists():
        return 0
    sectors = list(Sector.objects.order_by("code"))
    loreto, ucayali = Region.objects.get(code="PE-LOR"), Region.objects.get(code="PE-UCA")
    first = _round(loreto, 1, RoundStatus.COMPLETED, date(2025, 8, 4))
    _findings(first, sectors, 3, seed=1)
    second = _round(loreto, 2, RoundStatus.IN_PROGRESS, date(2026, 8, 3), previous=first)
    _findings(second, sectors, 3, seed=1)  # starts as a copy of round 1 ...
    for finding in second.findings.order_by("threat__code")[:: len(sectors)]:  # ... re-rated
        finding.residual_likelihood = max(1, (finding.residual_likelihood or 2) - 1)
        finding.version += 1
        finding.save(update_fields=["residual_likelihood", "version"])
    _round(ucayali, 1, RoundStatus.IN_PROGRESS, date(2026, 3, 2))
    _findings(Assessment.objects.get(region=ucayali, number=1), sectors[:5], 2, seed=3)
    return Finding.objects.filter(is_demo=True).count()
