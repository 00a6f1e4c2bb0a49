"""What the program and region dashboards show, built from the same query functions as the
other pages (no second copy of the numbers)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, QuerySet

from amparo.assessment import scoring
from amparo.assessment.models import Assessment, Finding
from amparo.indicators.models import Indicator
from amparo.indicators.queries import IndicatorView, indicator_views
from amparo.mitigation.models import Measure, MeasureStatus
from amparo.rollout import queries as rollout_queries
from amparo.territory.models import Region, Sector


@dataclass
class RiskProfile:
    round: Assessment | None
    sectors_assessed: int = 0
    sectors_total: int = 0
    levels: list[tuple[scoring.LevelSpec, int]] = field(default_factory=list)


@dataclass
class RegionLine:
    region: Region
    rollout: rollout_queries.RegionProgress
    risk: RiskProfile
    measures: dict[str, int]


@dataclass
class Dashboard:
    lines: list[RegionLine]
    indicators: list[IndicatorView]
    statuses: list[tuple[str, str]]


def risk_profiles(regions: list[Region]) -> dict[int, RiskProfile]:
    """Each region's latest round: sectors with a finding, and findings per current level."""
    latest_numbers = dict(
        Assessment.objects.filter(region__in=regions)
        .values("region")
        .annotate(n=Max("number"))
        .values_list("region", "n")
    )
    rounds = {
        a.region_id: a
        for a in Assessment.objects.filter(region__in=regions).select_related("matrix")
        if latest_numbers.get(a.region_id) == a.number
    }
    sector_total = Sector.objects.count()
    per_round: dict[int, list[tuple]] = defaultdict(list)
    for row in Finding.objects.filter(assessment__in=rounds.values()).values_list(
        "assessment",
        "sector",
        "inherent_likelihood",
        "inherent_impact",
        "residual_likelihood",
        "residual_impact",
    ):
        per_round[row[0]].append(row[1:])
    profiles = {}
    for region in regions:
        assessment = rounds.get(region.pk)
        if assessment is None:
            profiles[region.pk] = RiskProfile(None, 0, sector_total)
            continue
        spec = assessment.matrix.spec()
        counts: dict[str, int] = defaultdict(int)
        for _sector, il, ii, rl, ri in per_round[assessment.pk]:
            counts[scoring.risk_level(spec, rl or il, ri or ii).code] += 1
        profiles[region.pk] = RiskProfile(
            assessment,
            len({row[0] for row in per_round[assessment.pk]}),
            sector_total,
            [(level, counts.get(level.code, 0)) for level in spec.levels],
        )
    return profiles


def measures_by_status(regions: list[Region]) -> dict[int, dict[str, int]]:
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Measure.objects.filter(region__in=regions)
        .values("region", "status")
        .annotate(n=Count("pk"))
    ):
        found[row["region"]][row["status"]] = row["n"]
    return found


def dashboard(regions: QuerySet[Region], *, key_only: bool = True) -> Dashboard:
    """The dashboard over ``regions`` (all the user may see, or one region)."""
    region_list = list(regions.order_by("name"))
    progress = {line.region.pk: line for line in rollout_queries.program_overview(regions)}
    risks = risk_profiles(region_list)
    measures = measures_by_status(region_list)
    indicators = Indicator.objects.filter(is_key=True) if key_only else Indicator.objects.all()
    return Dashboard(
        lines=[
            RegionLine(r, progress[r.pk], risks[r.pk], measures.get(r.pk, {})) for r in region_list
        ],
        indicators=indicator_views(indicators, regions),
        statuses=list(MeasureStatus.choices),
    )
