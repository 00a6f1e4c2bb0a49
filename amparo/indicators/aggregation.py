"""Combining observations over regions and periods, and progress towards targets (pure).

Methods, over regions:
- sum: total of the values (things done: people trained, inspections);
- mean: average of the values (days to referral, rates typed as values);
- last: for each region its latest value, then summed over regions (stocks: plans
  approved, groups active); a region that reported nothing in a period still holds its
  latest earlier value;
- ratio: sum of the numerator over sum of the denominator, times 100 for percentages.

A series has one value per period, the regions combined by the method. Progress compares
like with like: see ``compare``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

SUM, MEAN, LAST, RATIO = "sum", "mean", "last", "ratio"


class Point(NamedTuple):
    # A named tuple, not a frozen dataclass: a country-scale dashboard builds tens of
    # thousands of them per request, and a tuple is several times cheaper to make.
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


def cells(method: str, points: Iterable[Point], period: date) -> list[Point]:
    """The per-region values that make up the combined value of ``period``: the values of
    that period, or for ``last`` each region's latest value up to that period."""
    if method == LAST:
        return _latest_by_region(p for p in points if p.period <= period)
    return [p for p in points if p.period == period]


def cells_by_period(
    method: str, points: Iterable[Point], targets: Iterable[Point], *, until: date
) -> dict[date, list[Point]]:
    """The cells (see ``cells``) of every period that has a value and so may be shown or
    compared with its target. For ``last`` that also includes each period of a target,
    up to ``until``, in which a region that set the target holds a value: a stock holds
    its latest earlier value, so it can be compared with a target of a later period. A
    period after ``until`` has no value yet, held or not."""
    points, targets = list(points), list(targets)
    periods = sorted({p.period for p in points})
    extra = [t.period for t in targets if t.period <= until] if method == LAST else []
    grouped = _cells_at(method, points, [*periods, *extra])
    found = {period: grouped[period] for period in periods}
    if method == LAST:
        for target in targets:
            if target.period in found or target.period > until:
                continue
            held = grouped[target.period]
            if any(c.region == target.region for c in held):
                found[target.period] = held
    return dict(sorted(found.items()))


def _cells_at(method: str, points: list[Point], periods: Iterable[date]) -> dict[date, list[Point]]:
    """``cells`` for many periods in one pass over the points (not one pass per period:
    a country-scale dashboard has thousands of points per indicator)."""
    wanted = sorted(set(periods))
    if method != LAST:
        by_period: dict[date, list[Point]] = {}
        for p in points:
            by_period.setdefault(p.period, []).append(p)
        return {period: by_period.get(period, []) for period in wanted}
    ordered = sorted(points, key=lambda p: p.period)  # stable: the first of equals wins
    latest: dict[str, Point] = {}
    found: dict[date, list[Point]] = {}
    i = 0
    for period in wanted:
        while i < len(ordered) and ordered[i].period <= period:
            p = ordered[i]
            if p.region not in latest or p.period > latest[p.region].period:
                latest[p.region] = p
            i += 1
        found[period] = sorted(latest.values(), key=lambda p: p.region)
    return found


def _latest_by_region(points: Iterable[Point]) -> list[Point]:
    latest: dict[str, Point] = {}
    for p in points:
        if p.region not in latest or p.period > latest[p.region].period:
            latest[p.region] = p
    return sorted(latest.values(), key=lambda p: p.region)


def series(method: str, points: Iterable[Point]) -> list[tuple[date, float]]:
    """Per period with a value, the regions combined by ``method`` (see the module)."""
    points = list(points)
    periods = sorted({p.period for p in points})
    grouped = _cells_at(method, points, periods)
    found = []
    for period in periods:
        value = aggregate(method, grouped[period])
        if value is not None:
            found.append((period, value))
    return found


def ratio_points(
    numerators: Iterable[Point], denominators: Iterable[Point]
) -> tuple[list[Point], list[Point]]:
    """The numerator and denominator values of the (region, period) pairs that have both,
    so a ratio never divides one region's count by another's."""
    top = {(p.region, p.period): p for p in numerators}
    bottom = {(p.region, p.period): p for p in denominators}
    both = sorted(set(top) & set(bottom))
    return [top[k] for k in both], [bottom[k] for k in both]


def ratio_series(
    numerators: Iterable[Point], denominators: Iterable[Point], *, percent: bool
) -> list[tuple[date, float]]:
    """Per period, the sum of the numerator over the sum of the denominator (regions that
    report both); periods whose denominator sums to zero are left out."""
    top, bottom = ratio_points(numerators, denominators)
    tops: dict[date, float] = {}
    bottoms: dict[date, float] = {}
    for p in top:
        tops[p.period] = tops.get(p.period, 0.0) + p.value
    for p in bottom:
        bottoms[p.period] = bottoms.get(p.period, 0.0) + p.value
    found = []
    for period in sorted(tops):
        value = ratio(tops[period], bottoms[period], percent=percent)
        if value is not None:
            found.append((period, value))
    return found


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


@dataclass(frozen=True)
class Comparison:
    """What an indicator's card shows: ``current`` is the value of ``period``; ``target``
    and ``baseline`` are those that apply to that same period. ``compared`` says whether
    the three are on the same footing, so that progress may be shown."""

    period: date | None
    current: float | None
    baseline: float | None
    target: float | None
    compared: bool
    regions: tuple[str, ...] = field(default=())


def _goal(method: str, values: list[float]) -> float | None:
    """Region goals combined like the values they stand for: summed for counts of things
    (sum, last), averaged for means and ratios."""
    if not values:
        return None
    return sum(values) / len(values) if method in (MEAN, RATIO) else sum(values)


def compare(
    method: str,
    reported: dict[date, set[str]],
    combined: Callable[[date, list[str]], float | None],
    targets: Iterable[Point],
    baselines: Iterable[Point],
) -> Comparison:
    """Like with like: the latest period that has both a target and a value is compared.

    ``reported[period]`` are the regions with a value for the period (for ``last``, those
    holding one up to it) and ``combined(period, regions)`` their value combined by
    ``method``. The regions compared are those with both a target and a value for that
    period: the current value is theirs, and the target is their targets combined the
    same way (summed for sum and last, averaged for mean and ratio). The baseline is each
    of those regions' latest baseline up to that period, combined the same way, and only
    when every one of them has one (else progress starts from 0).

    With no such period, the current value is that of the latest period with a value, the
    target shown is the latest one set (all regions that set one), and there is no progress.
    """
    targets, baselines = list(targets), list(baselines)
    goals_of: dict[date, dict[str, float]] = {}
    for t in targets:
        goals_of.setdefault(t.period, {})[t.region] = t.value
    for period in sorted(goals_of, reverse=True):
        goals = goals_of[period]
        regions = sorted(r for r in goals if r in reported.get(period, set()))
        current = combined(period, regions) if regions else None
        if current is None:
            continue
        starts = [
            _latest_by_region(b for b in baselines if b.region == r and b.period <= period)
            for r in regions
        ]
        baseline = _goal(method, [s[0].value for s in starts]) if all(starts) else None
        target = _goal(method, [goals[r] for r in regions])
        return Comparison(period, current, baseline, target, True, tuple(regions))
    latest = max(reported) if reported else None
    latest_goal = max(goals_of) if goals_of else None
    return Comparison(
        latest,
        combined(latest, sorted(reported[latest])) if latest else None,
        None,
        _goal(method, list(goals_of[latest_goal].values())) if latest_goal else None,
        False,
        tuple(sorted(reported[latest])) if latest else (),
    )
