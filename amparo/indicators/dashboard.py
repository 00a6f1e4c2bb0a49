"""What the program and region dashboards show, built from the same query functions as the
other pages (no second copy of the numbers)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _

from amparo import charts
from amparo.accounts import access
from amparo.accounts.models import User
from amparo.assessment import scoring
from amparo.assessment.models import Assessment, Finding
from amparo.disclosure.release import MARKER, Release
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

    # As the user may see them (``rollout_queries.withhold``).
    @property
    def pastors_trained(self) -> int | str:
        return self.rollout.pastors_trained

    @property
    def groups_active(self) -> int | str:
        return self.rollout.groups_active


@dataclass
class Dashboard:
    lines: list[RegionLine]
    indicators: list[IndicatorView]
    statuses: list[tuple[str, str]]

    @property
    def hides_counts(self) -> bool:
        """Whether a region's line shows a hidden count (the page then says why)."""
        return any(MARKER in (line.pastors_trained, line.groups_active) for line in self.lines)


def risk_profiles(regions: list[Region], user: User | None = None) -> dict[int, RiskProfile]:
    """Each region's latest round: sectors with a finding, and findings per current level,
    counting only the findings of the sectors ``user`` may read."""
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
    for row in (
        Finding.objects.filter(assessment__in=rounds.values())
        .filter(
            access.sector_scope(
                user, regions, region_field="assessment__region", sector_field="sector"
            )
        )
        .values_list(
            "assessment",
            "sector",
            "inherent_likelihood",
            "inherent_impact",
            "residual_likelihood",
            "residual_impact",
        )
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


def measures_by_status(
    regions: list[Region], user: User | None = None
) -> dict[int, dict[str, int]]:
    """Per region, how many measures (of the sectors ``user`` may read) are in each status."""
    found: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Measure.objects.filter(region__in=regions)
        .filter(access.sector_scope(user, regions, region_field="region", sector_field="sector"))
        .values("region", "status")
        .annotate(n=Count("pk"))
    ):
        found[row["region"]][row["status"]] = row["n"]
    return found


def dashboard(
    regions: QuerySet[Region],
    *,
    user: User | None = None,
    key_only: bool = True,
    release: Release | None = None,
) -> Dashboard:
    """The dashboard over ``regions`` (all the user may see, or one region). With a
    ``user``, measures, findings and measure marks are those of the sectors they may read.
    With a ``release`` (the reader's protection, ``amparo.disclosure.release``), its hidden
    counts show as the marker and hidden chart points are not drawn."""
    region_list = list(regions.order_by("name"))
    progress = {
        line.region.pk: line for line in rollout_queries.program_overview(regions, release=release)
    }
    risks = risk_profiles(region_list, user)
    measures = measures_by_status(region_list, user)
    indicators = Indicator.objects.filter(is_key=True) if key_only else Indicator.objects.all()
    views = indicator_views(
        indicators,
        regions,
        measure_scope=access.sector_scope(
            user, region_list, region_field="measure__region", sector_field="measure__sector"
        ),
    )
    lines = [
        RegionLine(r, progress[r.pk], risks[r.pk], measures.get(r.pk, {})) for r in region_list
    ]
    if release is not None and release.hidden:
        codes = {str(r.pk): r.code for r in region_list}
        every = len(region_list) == Region.objects.count()
        for view in views:
            view.withhold(release, codes, every_region=every)
    return Dashboard(lines=lines, indicators=views, statuses=list(MeasureStatus.choices))


def chart_for(view: IndicatorView, *, width: int = 420, height: int = 180) -> str:
    """The indicator's chart (SVG) for the web pages and the PDF reports alike: its series
    with target, baseline and the implementation of linked measures, without the points
    the reader's release hides (a point drawn is a number too)."""
    return charts.line_chart(
        view.shown_series,
        title=view.indicator.name,
        target=view.target,
        baseline=view.baseline,
        marks=[(d, _("Implemented: %(title)s") % {"title": t}) for d, t in view.marks],
        width=width,
        height=height,
    )
