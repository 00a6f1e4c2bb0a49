"""Demo observations and targets for Loreto and Ucayali: synthetic, seeded numbers for the
typed indicators over 2025-2026, marked demo. The church-track ones come from the demo
rollouts, never typed; they, and the ratios, get baselines and targets too. A few demo
measures are linked to key indicators, so their implementation shows on the charts."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from amparo.indicators import periods
from amparo.indicators.models import (
    Aggregation,
    Computed,
    Indicator,
    Observation,
    Target,
    TargetKind,
    Unit,
)
from amparo.indicators.queries import computed_points
from amparo.mitigation.models import Measure, MeasureMove, MeasureStatus
from amparo.territory.models import Region

SCALE = {
    Unit.COUNT: (5, 60),
    Unit.PERCENT: (20, 90),
    Unit.SOLES: (20_000, 200_000),
    Unit.DAYS: (2, 30),
}
# Plans are few: a region has one regional plan, and approves an annual plan or two a year.
SMALL_COUNTS = {"OUT-PLAN-REGIONAL": (0, 1), "OUT-PLAN-ANNUAL": (1, 2)}
# A goal per church-track indicator for the month of a leader training or a launch:
# "up to 50 pastors from 50 churches", a recovery group from about one church in five.
CHURCH_TRACK_GOALS = {
    Computed.PASTORS_TRAINED: (0, 50),
    Computed.CHURCHES_REPRESENTED: (0, 50),
    Computed.GROUPS_LAUNCHED: (0, 10),
    Computed.GROUPS_ACTIVE: (0, 10),
}
# Of the children identified as victims, the share reintegrated (OC-REINTEGRATED-PCT).
REINTEGRATED_SHARE = (0.2, 0.45)
LINKED = ("OUT-TRAINED", "OUT-INSPECTED", "INT-REFERRED")


def _goal(indicator: Indicator, region: Region, kind: str, period: date, value: float) -> None:
    Target.objects.update_or_create(
        indicator=indicator,
        region=region,
        kind=kind,
        period=periods.period_start(period, indicator.frequency),
        defaults={"value": Decimal(f"{value:.0f}")},
    )


def _observe(indicator: Indicator, region: Region, period: date, value: float) -> None:
    Observation.objects.update_or_create(
        indicator=indicator,
        region=region,
        period=period,
        disaggregation="",
        defaults={
            "value": Decimal(f"{value:.0f}"),
            "source": "Datos de demostración",
            "is_demo": True,
        },
    )


@transaction.atomic
def demo_indicators_create() -> int:
    """Create (or bring back) the demo values; returns how many demo observations exist.
    Each indicator gets a baseline in 2025, a milestone for the last period with demo values
    (so progress shows) and a target for 2027."""
    rng = random.Random(30)  # noqa: S311 - synthetic demo numbers
    all_indicators = list(Indicator.objects.order_by("code"))
    indicators = [i for i in all_indicators if i.typed]
    demo_regions = list(Region.objects.filter(code__in=("PE-LOR", "PE-UCA")).order_by("code"))
    computed = [i for i in all_indicators if not i.typed]
    # One milestone month for all regions, so the program's card compares every region.
    church = computed_points(demo_regions) if any(i.computed_from for i in computed) else {}
    for region in demo_regions:
        for indicator in indicators:
            low, high = SCALE[indicator.unit]
            small = SMALL_COUNTS.get(indicator.code)
            baseline = low + (high - low) * 0.4
            target = low + (high - low) * (0.2 if indicator.direction == "lower" else 0.6)
            if small:
                baseline, target = small
            # From about the baseline, drifting towards the target with some noise.
            level = baseline * rng.uniform(0.9, 1.1)
            drift = (0.92, 1.03) if indicator.direction == "lower" else (0.97, 1.08)
            for period in periods.periods_between(
                date(2025, 1, 1), date(2026, 10, 1), indicator.frequency
            ):
                level = max(0.0, level * rng.uniform(*drift))
                value = min(level, 100.0) if indicator.unit == Unit.PERCENT else level
                if small:
                    value = small[0] if period.year == 2025 else small[1]
                _observe(indicator, region, period, value)
            _goal(indicator, region, TargetKind.BASELINE, date(2025, 1, 1), baseline)
            _goal(indicator, region, TargetKind.TARGET, date(2026, 10, 1), (baseline + target) / 2)
            _goal(indicator, region, TargetKind.TARGET, date(2027, 1, 1), target)
        _reintegrated_plausible(region, rng)
        _goals_without_typed_values(region, computed, church)
    _measures_linked()
    return Observation.objects.filter(is_demo=True).count()


def _reintegrated_plausible(region: Region, rng: random.Random) -> None:
    """Children reintegrated are a share of the children identified, not a number of their
    own, so that the percentage stays below 100."""
    victims = Indicator.objects.filter(code="INT-VICTIMS-CHILD").first()
    reintegrated = Indicator.objects.filter(code="OC-REINTEGRATED").first()
    if victims is None or reintegrated is None:
        return
    for row in Observation.objects.filter(indicator=victims, region=region, disaggregation=""):
        share = rng.uniform(*REINTEGRATED_SHARE)
        _observe(reintegrated, region, row.period, float(row.value) * share)


def _goals_without_typed_values(
    region: Region, indicators: list[Indicator], church: dict[str, list]
) -> None:
    """Baselines and targets of the church-track indicators (a milestone for the latest month
    the demo rollouts have values, the same in every region) and of the ratios."""
    for indicator in indicators:
        if indicator.computed_from in CHURCH_TRACK_GOALS:
            baseline, target = CHURCH_TRACK_GOALS[indicator.computed_from]
            months = sorted(p.period for p in church.get(indicator.computed_from, []))
            milestone = months[-1] if months else date(2026, 10, 1)
            _goal(indicator, region, TargetKind.BASELINE, date(2025, 1, 1), baseline)
            _goal(indicator, region, TargetKind.TARGET, milestone, target * 0.8)
            _goal(indicator, region, TargetKind.TARGET, date(2027, 1, 1), target)
        elif indicator.aggregation == Aggregation.RATIO:
            _goal(indicator, region, TargetKind.BASELINE, date(2025, 1, 1), 25)
            _goal(indicator, region, TargetKind.TARGET, date(2026, 10, 1), 35)
            _goal(indicator, region, TargetKind.TARGET, date(2027, 1, 1), 50)


def _measures_linked() -> None:
    """Link implemented demo measures to key indicators, implemented within the demo values'
    span so the chart shows the before and after."""
    indicators = list(Indicator.objects.filter(code__in=LINKED).order_by("code"))
    measures = list(
        Measure.objects.filter(
            is_demo=True, status__in=[MeasureStatus.IMPLEMENTED, MeasureStatus.VERIFIED]
        ).order_by("pk")[: len(indicators)]
    )
    for index, (measure, indicator) in enumerate(zip(measures, indicators, strict=False)):
        measure.indicators.add(indicator)
        move, _new = MeasureMove.objects.get_or_create(
            measure=measure, to_status=MeasureStatus.IMPLEMENTED, note="demo"
        )
        day = datetime(2026, 3 + 3 * index, 15, tzinfo=timezone.get_current_timezone())
        MeasureMove.objects.filter(pk=move.pk).update(at=day)
