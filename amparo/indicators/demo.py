"""Demo observations and targets for Loreto and Ucayali: synthetic, seeded numbers for the
typed indicators over 2025-2026, marked demo. The church-track ones come from the demo
rollouts, never typed."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from django.db import transaction

from amparo.indicators import periods
from amparo.indicators.models import Indicator, Observation, Target, TargetKind, Unit
from amparo.territory.models import Region

SCALE = {
    Unit.COUNT: (5, 60),
    Unit.PERCENT: (20, 90),
    Unit.SOLES: (20_000, 200_000),
    Unit.DAYS: (2, 30),
}


@transaction.atomic
def demo_indicators_create() -> int:
    """Create (or bring back) the demo values; returns how many demo observations exist."""
    rng = random.Random(30)  # noqa: S311 - synthetic demo numbers
    indicators = [i for i in Indicator.objects.order_by("code") if i.typed]
    for code in ("PE-LOR", "PE-UCA"):
        region = Region.objects.get(code=code)
        for indicator in indicators:
            low, high = SCALE[indicator.unit]
            level = rng.uniform(low, high)
            for period in periods.periods_between(
                date(2025, 1, 1), date(2026, 10, 1), indicator.frequency
            ):
                level = max(0.0, level * rng.uniform(0.9, 1.15))
                value = min(level, 100.0) if indicator.unit == Unit.PERCENT else level
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
            for kind, period, factor in (
                (TargetKind.BASELINE, date(2025, 1, 1), 1.0),
                (TargetKind.TARGET, date(2027, 1, 1), 1.5),
            ):
                value = low + (high - low) * 0.4 * factor
                if indicator.direction == "lower" and kind == TargetKind.TARGET:
                    value = low + (high - low) * 0.2
                Target.objects.update_or_create(
                    indicator=indicator,
                    region=region,
                    kind=kind,
                    period=periods.period_start(period, indicator.frequency),
                    defaults={
                        "value": Decimal(
                            f"{min(value, 100) if indicator.unit == Unit.PERCENT else value:.0f}"
                        )
                    },
                )
    return Observation.objects.filter(is_demo=True).count()
