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

from amparo.indicators import aggregation, periods
from amparo.indicators.models import (
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
from amparo.suppression import covers_small, suppress_covering
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
    # Periods whose combined value covers a region's count from 1 to 4, and the region
    # values the current one covers: a viewer must not see a total over a small count, or
    # the small count could be derived from it.
    small_periods: set[date] = field(default_factory=set)
    current_cells: list[float] = field(default_factory=list)
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

    def series_for(self, *, see_small_counts: bool) -> list[tuple[date, float]]:
        """The series as the user may see it: for viewers, counts without the periods that
        cover a small count."""
        if see_small_counts or not self.is_count:
            return self.series
        return [(p, v) for p, v in self.series if p not in self.small_periods]

    def withhold_small_counts(self) -> None:
        """Apply the viewer rule to the card: a current value that covers a small count is
        withheld, a small one shows as "<5", and progress (which would give it back) goes."""
        if not self.is_count or self.current is None or isinstance(self.current, str):
            return
        self.current = suppress_covering(self.current, self.current_cells)
        if isinstance(self.current, str):
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

        cells_of = {}
    else:
        series = aggregation.series(method, points)
        cells_of = aggregation.cells_by_period(method, points, targets, until=today)
        reported = {period: {c.region for c in found} for period, found in cells_of.items()}

        def combined(period: date, regions: list[str]) -> float | None:
            return aggregation.aggregate(
                method, [c for c in cells_of.get(period, []) if c.region in regions]
            )

    comparison = aggregation.compare(method, reported, combined, targets, baselines)
    small_periods = {p for p, found in cells_of.items() if covers_small(c.value for c in found)}
    covered = [c for c in cells_of.get(comparison.period, []) if c.region in comparison.regions]
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
        small_periods=small_periods,
        current_cells=[c.value for c in covered],
        points=points,
    )
