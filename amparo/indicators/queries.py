"""Read-side functions for indicator pages and dashboards. Sums and averages are computed
by the database, grouped by indicator and period, so a dashboard costs the same number of
queries at any data size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from amparo.indicators import aggregation
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
from amparo.rollout.models import Attendance, EventStatus, GroupReport, RecoveryGroup, StageKind
from amparo.territory.models import OrganizationKind, Region

Series = dict[date, float]


def computed_series(regions: list[Region]) -> dict[str, Series]:
    """Church-track indicators per month from the rollout data, over ``regions``."""
    training = (
        Attendance.objects.filter(
            event__rollout__region__in=regions,
            event__status=EventStatus.DONE,
            event__stage__kind=StageKind.LEADER_TRAINING,
        )
        .annotate(month=TruncMonth("event__ends_on"))
        .values("month")
    )
    pastors = training.annotate(n=Sum("pastors"))
    churches = training.annotate(
        n=Count("organization", distinct=True, filter=Q(organization__kind=OrganizationKind.CHURCH))
    )
    launched = (
        RecoveryGroup.objects.filter(rollout__region__in=regions)
        .annotate(month=TruncMonth("launched_on"))
        .values("month")
        .annotate(n=Count("pk"))
    )
    active = (
        GroupReport.objects.filter(group__rollout__region__in=regions, meetings_held__gt=0)
        .values("month")
        .annotate(n=Count("group", distinct=True))
    )
    as_date = lambda m: m.date() if hasattr(m, "date") and callable(m.date) else m  # noqa: E731
    return {
        Computed.PASTORS_TRAINED: {as_date(r["month"]): float(r["n"] or 0) for r in pastors},
        Computed.CHURCHES_REPRESENTED: {as_date(r["month"]): float(r["n"] or 0) for r in churches},
        Computed.GROUPS_LAUNCHED: {as_date(r["month"]): float(r["n"]) for r in launched},
        Computed.GROUPS_ACTIVE: {as_date(r["month"]): float(r["n"]) for r in active},
    }


@dataclass
class IndicatorView:
    indicator: Indicator
    series: list[tuple[date, float]]
    current: float | None
    baseline: float | None
    target: float | None
    progress: float | None
    marks: list[tuple[date, str]] = field(default_factory=list)

    @property
    def is_count(self) -> bool:
        return self.indicator.unit == Unit.COUNT

    @property
    def progress_percent(self) -> int | None:
        return None if self.progress is None else round(self.progress * 100)


WINDOW = {"monthly": 12, "quarterly": 4, "yearly": 1}


def indicator_views(
    indicators: QuerySet[Indicator], regions: QuerySet[Region]
) -> list[IndicatorView]:
    """Each indicator over ``regions``: the series per period (regions combined), the current
    value (its method over the latest year of data), and baseline, target and progress."""
    regions = list(regions)
    indicators = list(
        indicators.select_related("numerator", "denominator").prefetch_related("measures")
    )
    needed = {i.pk for i in indicators} | {
        p.pk for i in indicators for p in (i.numerator, i.denominator) if p
    }
    grouped: dict[int, dict[date, dict[str, float]]] = defaultdict(dict)
    for row in (
        Observation.objects.filter(indicator__in=needed, region__in=regions, disaggregation="")
        .values("indicator", "period")
        .annotate(total=Sum("value"), mean=Avg("value"))
    ):
        grouped[row["indicator"]][row["period"]] = {
            "sum": float(row["total"]),
            "mean": float(row["mean"]),
        }
    computed = computed_series(regions) if any(i.computed_from for i in indicators) else {}
    goals: dict[tuple[int, str], dict[date, list[float]]] = defaultdict(lambda: defaultdict(list))
    for t in Target.objects.filter(indicator__in=indicators, region__in=regions):
        goals[(t.indicator_id, t.kind)][t.period].append(float(t.value))
    marks: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for move in MeasureMove.objects.filter(
        to_status=MeasureStatus.IMPLEMENTED,
        measure__indicators__in=indicators,
        measure__region__in=regions,
    ).values("measure__indicators", "at", "measure__title"):
        marks[move["measure__indicators"]].append((move["at"].date(), move["measure__title"]))

    def plain(indicator: Indicator) -> list[tuple[date, float]]:
        key = "mean" if indicator.aggregation == Aggregation.MEAN else "sum"
        return sorted((p, v[key]) for p, v in grouped.get(indicator.pk, {}).items())

    views = []
    for indicator in indicators:
        if indicator.computed_from:
            series = sorted(computed.get(indicator.computed_from, {}).items())
        elif (
            indicator.aggregation == Aggregation.RATIO
            and indicator.numerator
            and indicator.denominator
        ):
            top, bottom = dict(plain(indicator.numerator)), dict(plain(indicator.denominator))
            percent = indicator.unit == Unit.PERCENT
            series = [
                (p, aggregation.ratio(top[p], bottom[p], percent=percent))
                for p in sorted(set(top) & set(bottom))
                if bottom[p]
            ]
        else:
            series = plain(indicator)
        recent = series[-WINDOW.get(indicator.frequency, 12) :]
        if not recent:
            current = None
        elif indicator.aggregation == Aggregation.SUM or indicator.computed_from in (
            Computed.PASTORS_TRAINED,
            Computed.CHURCHES_REPRESENTED,
            Computed.GROUPS_LAUNCHED,
        ):
            current = sum(v for _, v in recent)
        elif indicator.aggregation == Aggregation.LAST or indicator.computed_from:
            current = recent[-1][1]
        else:
            current = sum(v for _, v in recent) / len(recent)
        combine = (
            (lambda xs: sum(xs) / len(xs)) if indicator.unit in (Unit.PERCENT, Unit.DAYS) else sum
        )

        def latest(kind: str, indicator: Indicator = indicator, combine=combine) -> float | None:
            periods = goals.get((indicator.pk, kind))
            return combine(periods[max(periods)]) if periods else None

        baseline, target = latest(TargetKind.BASELINE), latest(TargetKind.TARGET)
        views.append(
            IndicatorView(
                indicator,
                series,
                current,
                baseline,
                target,
                aggregation.progress(
                    current, baseline, target, higher_is_better=indicator.direction == "higher"
                ),
                sorted(marks.get(indicator.pk, [])),
            )
        )
    return views
