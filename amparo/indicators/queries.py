"""Read-side functions for indicator pages and dashboards. Values are read per region and
period in a fixed number of queries, then combined over regions by ``aggregation`` (the
one implementation of the methods), so a dashboard costs the same queries at any size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from amparo.disclosure.release import MARKER, PROGRAM, Release, combined_hidden, obs_cell
from amparo.indicators import aggregation, periods
from amparo.indicators.models import (
    Aggregation,
    Computed,
    Indicator,
    Observation,
    Target,
    TargetKind,
    Unit,
)
from amparo.mitigation.models import MeasureMove, MeasureStatus
from amparo.rollout import queries as rollout_queries
from amparo.rollout.models import GroupReport, RecoveryGroup
from amparo.territory.models import OrganizationKind, Region

Point = aggregation.Point


def computed_points(regions: list[Region]) -> dict[str, list[Point]]:
    """Church-track indicators per region and month, from the rollout data of ``regions``."""
    training = rollout_queries.training_attendance_by_month(region__in=regions)
    pastors = training.annotate(n=Sum("pastors"))
    churches = training.annotate(
        n=Count("organization", distinct=True, filter=Q(organization__kind=OrganizationKind.CHURCH))
    )
    launched = (
        RecoveryGroup.objects.filter(rollout__region__in=regions)
        .annotate(month=TruncMonth("launched_on"))
        .values("rollout__region", "month")
        .annotate(n=Count("pk"))
    )
    active = (
        GroupReport.objects.filter(group__rollout__region__in=regions, meetings_held__gt=0)
        .values("group__rollout__region", "month")
        .annotate(n=Count("group", distinct=True))
    )

    def points(rows: QuerySet, region_key: str) -> list[Point]:
        return [Point(str(r[region_key]), _as_date(r["month"]), float(r["n"] or 0)) for r in rows]

    return {
        Computed.PASTORS_TRAINED: points(pastors, "event__rollout__region"),
        Computed.CHURCHES_REPRESENTED: points(churches, "event__rollout__region"),
        Computed.GROUPS_LAUNCHED: points(launched, "rollout__region"),
        Computed.GROUPS_ACTIVE: points(active, "group__rollout__region"),
    }


def _as_date(month: date | datetime) -> date:
    return month.date() if isinstance(month, datetime) else month


@dataclass
class IndicatorView:
    """An indicator over some regions. ``current`` is the value of ``period``; when
    ``compared``, baseline and target are those of that same period and progress runs
    between them (see ``aggregation.compare``)."""

    indicator: Indicator
    series: list[tuple[date, float]]
    current: float | str | None
    baseline: float | None
    target: float | None
    progress: float | None
    marks: list[tuple[date, str]] = field(default_factory=list)
    period: date | None = None
    compared: bool = False
    # Per period, the region values its combined value is made of (and for a ratio, the
    # numerator's and denominator's, with their indicator codes): what a reader could work
    # back to, so a point is hidden whenever one of them is (``withhold``).
    cells_by_period: dict[date, list[tuple[str, Point]]] = field(default_factory=dict)
    current_regions: set[str] = field(default_factory=set)
    hidden_periods: set[date] = field(default_factory=set)
    points: list[Point] = field(default_factory=list)  # per region and period

    @property
    def is_count(self) -> bool:
        return self.indicator.unit == Unit.COUNT

    @property
    def progress_percent(self) -> int | None:
        return None if self.progress is None else round(self.progress * 100)

    @property
    def period_label(self) -> str:
        return periods.label(self.period, self.indicator.frequency) if self.period else ""

    @property
    def shown_series(self) -> list[tuple[date, float]]:
        """The series without its hidden points (a hidden point is not drawn)."""
        return [(p, v) for p, v in self.series if p not in self.hidden_periods]

    @property
    def hides_points(self) -> bool:
        return bool(self.hidden_periods)

    def withhold(self, release: Release, codes: dict[str, str], *, every_region: bool) -> None:
        """Hide what ``release`` hides: a point (and the current value) whose region cells
        include a hidden one, unless the point is itself the program's cell and shown.
        ``codes`` maps region ids (as points name them) to region codes; ``every_region``
        when the regions combined are all of them (the point is then the program's)."""
        if not release.hidden:
            return
        indicator = self.indicator
        frequency = "monthly" if indicator.computed_from else indicator.frequency
        by_program = every_region and indicator.aggregation == Aggregation.SUM

        def hidden(period: date, regions: set[str] | None = None) -> bool:
            found = self.cells_by_period.get(period, [])
            cells = [
                obs_cell(code, codes.get(p.region, p.region), p.period, frequency, "")
                for code, p in found
                if regions is None or p.region in regions
            ]
            whole = regions is None or {p.region for _c, p in found} <= regions
            program = (
                obs_cell(indicator.code, PROGRAM, period, frequency, "")
                if by_program and whole
                else None
            )
            return combined_hidden(release, cells, program_cell=program)

        self.hidden_periods = {p for p, _v in self.series if hidden(p)}
        if (
            self.period is not None
            and self.current is not None
            and hidden(self.period, self.current_regions)
        ):
            self.current = MARKER
            self.progress = None


def indicator_views(
    indicators: QuerySet[Indicator],
    regions: QuerySet[Region],
    *,
    measure_scope: Q | None = None,
) -> list[IndicatorView]:
    """Each indicator over ``regions``: the series (regions combined per period by the
    indicator's method), the current value with its baseline, target and progress (like
    with like, see ``aggregation.compare``), and the implementation dates of its linked
    measures within ``measure_scope`` (a filter on measures, default all of the regions)."""
    regions = list(regions)
    indicators = list(indicators.select_related("numerator", "denominator"))
    needed = {i.pk for i in indicators} | {
        p.pk for i in indicators for p in (i.numerator, i.denominator) if p
    }
    observed: dict[int, list[Point]] = defaultdict(list)
    for indicator_id, region_id, period, value in Observation.objects.filter(
        indicator__in=needed, region__in=regions, disaggregation=""
    ).values_list("indicator", "region", "period", "value"):
        observed[indicator_id].append(Point(str(region_id), period, float(value)))
    computed = computed_points(regions) if any(i.computed_from for i in indicators) else {}
    goals: dict[tuple[int, str], list[Point]] = defaultdict(list)
    for t in Target.objects.filter(indicator__in=indicators, region__in=regions):
        goals[(t.indicator_id, t.kind)].append(Point(str(t.region_id), t.period, float(t.value)))
    marks: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for move in (
        MeasureMove.objects.filter(
            to_status=MeasureStatus.IMPLEMENTED,
            measure__indicators__in=indicators,
            measure__region__in=regions,
        )
        .filter(Q() if measure_scope is None else measure_scope)
        .values("measure__indicators", "at", "measure__title")
    ):
        marks[move["measure__indicators"]].append((move["at"].date(), move["measure__title"]))

    today = timezone.localdate()
    views = []
    for indicator in indicators:
        if indicator.computed_from:
            points = computed.get(indicator.computed_from, [])
        else:
            points = observed.get(indicator.pk, [])
        view = _indicator_view(
            indicator,
            points,
            observed,
            goals.get((indicator.pk, TargetKind.TARGET), []),
            goals.get((indicator.pk, TargetKind.BASELINE), []),
            today=today,
        )
        view.marks = sorted(marks.get(indicator.pk, []))
        views.append(view)
    return views


def _indicator_view(
    indicator: Indicator,
    points: list[Point],
    observed: dict[int, list[Point]],
    targets: list[Point],
    baselines: list[Point],
    *,
    today: date,
) -> IndicatorView:
    method = indicator.aggregation
    if method == aggregation.RATIO and indicator.numerator and indicator.denominator:
        percent = indicator.unit == Unit.PERCENT
        top, bottom = aggregation.ratio_points(
            observed.get(indicator.numerator_id, []), observed.get(indicator.denominator_id, [])
        )
        series = aggregation.ratio_series(top, bottom, percent=percent)
        reported: dict[date, set[str]] = defaultdict(set)
        for p in top:
            reported[p.period].add(p.region)

        def combined(period: date, regions: list[str]) -> float | None:
            return aggregation.ratio(
                sum(p.value for p in top if p.period == period and p.region in regions),
                sum(p.value for p in bottom if p.period == period and p.region in regions),
                percent=percent,
            )

        codes = (indicator.numerator.code, indicator.denominator.code)
        cells_of: dict[date, list[tuple[str, Point]]] = defaultdict(list)
        for code, found in zip(codes, (top, bottom), strict=True):
            for p in found:
                cells_of[p.period].append((code, p))
    else:
        series = aggregation.series(method, points)
        by_period = aggregation.cells_by_period(method, points, targets, until=today)
        reported = {period: {c.region for c in found} for period, found in by_period.items()}
        cells_of = {p: [(indicator.code, c) for c in found] for p, found in by_period.items()}

        def combined(period: date, regions: list[str]) -> float | None:
            return aggregation.aggregate(
                method, [c for c in by_period.get(period, []) if c.region in regions]
            )

    comparison = aggregation.compare(method, reported, combined, targets, baselines)
    return IndicatorView(
        indicator,
        series,
        comparison.current,
        comparison.baseline,
        comparison.target,
        aggregation.progress(
            comparison.current,
            comparison.baseline,
            comparison.target,
            higher_is_better=indicator.direction == "higher",
        )
        if comparison.compared
        else None,
        period=comparison.period,
        compared=comparison.compared,
        cells_by_period=dict(cells_of),
        current_regions=set(comparison.regions or ()),
        points=points,
    )
