"""Combining observations over regions and periods, and progress towards targets (pure).

Methods:
- sum: total over regions and periods (things done: people trained, inspections);
- mean: average of the values (days to referral, rates typed as values);
- last: for each region its latest period's value, then summed over regions (stocks:
  plans approved, groups active);
- ratio: sum of the numerator over sum of the denominator, times 100 for percentages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

SUM, MEAN, LAST, RATIO = "sum", "mean", "last", "ratio"


@dataclass(frozen=True)
class Point:
    region: str
    period: date
    value: float


def aggregate(method: str, points: Iterable[Point]) -> float | None:
    """One number for ``points`` by ``method`` (not ratio: see ``ratio``); None if empty."""
    points = list(points)
    if not points:
        return None
    if method == SUM:
        return sum(p.value for p in points)
    if method == MEAN:
        return sum(p.value for p in points) / len(points)
    if method == LAST:
        latest: dict[str, Point] = {}
        for p in points:
            if p.region not in latest or p.period > latest[p.region].period:
                latest[p.region] = p
        return sum(p.value for p in latest.values())
    raise ValueError(f"unknown aggregation {method!r}")


def ratio(numerator: float | None, denominator: float | None, *, percent: bool) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator * (100 if percent else 1)


def series(method: str, points: Iterable[Point]) -> list[tuple[date, float]]:
    """Per period, the regions combined: summed for sum and last, averaged for mean."""
    by_period: dict[date, list[Point]] = {}
    for p in points:
        by_period.setdefault(p.period, []).append(p)
    combine = MEAN if method == MEAN else SUM
    return [(period, aggregate(combine, rows)) for period, rows in sorted(by_period.items())]


def progress(
    current: float | None, baseline: float | None, target: float | None, *, higher_is_better: bool
) -> float | None:
    """Share of the way from baseline to target (0 = at baseline, 1 = target met; may go
    below 0 or above 1). None when it cannot be computed."""
    if current is None or target is None:
        return None
    start = baseline if baseline is not None else 0.0
    if target == start:
        met = current >= target if higher_is_better else current <= target
        return 1.0 if met else 0.0
    return (current - start) / (target - start)
