"""Periods, aggregation, target progress and what a combined figure hides: pure,
property-tested."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.indicators.aggregation import Point, aggregate, progress, ratio, series
from amparo.indicators.periods import (
    asked_or_current,
    label,
    next_period,
    parse_period,
    period_start,
    periods_between,
    previous_period,
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
frequencies = st.sampled_from(["monthly", "quarterly", "yearly"])


@given(days, frequencies)
def test_a_day_falls_in_exactly_one_period(day, frequency) -> None:
    start = period_start(day, frequency)
    assert start <= day < next_period(start, frequency)
    assert period_start(start, frequency) == start


@given(days, frequencies)
def test_the_previous_period_is_the_one_before_the_next(day, frequency) -> None:
    start = period_start(day, frequency)
    before = previous_period(start, frequency)
    assert next_period(before, frequency) == start
    assert previous_period(next_period(start, frequency), frequency) == start
    assert before < start and period_start(before, frequency) == before


def test_the_previous_period_crosses_the_year() -> None:
    assert previous_period(date(2027, 1, 1), "monthly") == date(2026, 12, 1)
    assert previous_period(date(2027, 1, 1), "quarterly") == date(2026, 10, 1)
    assert previous_period(date(2027, 1, 1), "yearly") == date(2026, 1, 1)


@given(days, frequencies)
def test_a_page_without_a_readable_period_shows_the_current_one(day, frequency) -> None:
    assert asked_or_current("", frequency, day) == period_start(day, frequency)
    assert asked_or_current("not a period", frequency, day) == period_start(day, frequency)
    asked = label(period_start(day, frequency), frequency)
    assert asked_or_current(asked, frequency, date(2000, 1, 1)) == period_start(day, frequency)


@given(days, frequencies)
def test_labels_read_back_as_the_same_period(day, frequency) -> None:
    start = period_start(day, frequency)
    assert parse_period(label(start, frequency), frequency) == start


def test_periods_parse_the_ways_people_write_them() -> None:
    assert parse_period("2027-03", "monthly") == date(2027, 3, 1)
    assert parse_period("2027-T2", "quarterly") == date(2027, 4, 1)
    assert parse_period("2027-q4", "quarterly") == date(2027, 10, 1)
    assert parse_period("2027", "yearly") == date(2027, 1, 1)
    assert parse_period("2027-05-17", "quarterly") == date(2027, 4, 1)
    assert parse_period("2027-05", "yearly") == date(2027, 1, 1)
    for bad, frequency in (("2027", "monthly"), ("2027-13", "monthly"), ("marzo", "monthly")):
        with pytest.raises(ValueError):
            parse_period(bad, frequency)


def test_periods_between_are_consecutive() -> None:
    assert periods_between(date(2026, 11, 15), date(2027, 2, 1), "monthly") == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]


points = st.lists(
    st.builds(
        Point,
        st.sampled_from(["A", "B", "C"]),
        st.sampled_from([date(2026, m, 1) for m in range(1, 7)]),
        st.floats(0, 1000, allow_nan=False),
    ),
    max_size=12,
)


@given(points)
def test_sum_and_mean_and_last_agree_with_their_definitions(rows) -> None:
    if not rows:
        assert aggregate("sum", rows) is None
        return
    assert aggregate("sum", rows) == pytest.approx(sum(p.value for p in rows))
    assert aggregate("mean", rows) == pytest.approx(sum(p.value for p in rows) / len(rows))
    latest = {}
    for p in rows:
        if p.region not in latest or p.period > latest[p.region].period:
            latest[p.region] = p
    assert aggregate("last", rows) == pytest.approx(sum(p.value for p in latest.values()))
    assert sum(v for _, v in series("sum", rows)) == pytest.approx(aggregate("sum", rows))


def test_ratio_and_progress() -> None:
    assert ratio(30, 40, percent=True) == 75
    assert ratio(3, 0, percent=True) is None
    assert progress(60, 20, 100, higher_is_better=True) == 0.5
    assert progress(10, 20, 5, higher_is_better=False) == pytest.approx(10 / 15)
    assert progress(None, 0, 10, higher_is_better=True) is None
    assert progress(5, 5, 5, higher_is_better=True) == 1.0


@given(st.lists(st.booleans(), min_size=1, max_size=6), st.booleans(), st.booleans())
def test_a_combined_figure_is_shown_only_when_it_gives_no_hidden_cell_back(
    hidden_parts, program_in_table, program_hidden
) -> None:
    """A chart point or current value combined over regions is shown when every region's
    cell is shown (it tells nothing new), or when it is the program's own cell and the
    reader's release shows it (the protection then made it safe)."""
    from amparo.disclosure.release import Release, combined_hidden

    parts = [("obs", "X", f"R{i}", "2026-01", "") for i in range(len(hidden_parts))]
    program = ("obs", "X", "*", "2026-01", "")
    hidden = {p for p, h in zip(parts, hidden_parts, strict=True) if h}
    release = Release(
        5,
        frozenset(hidden | ({program} if program_hidden else set())),
        frozenset({program}) if program_in_table else frozenset(),
    )
    shown = not combined_hidden(release, parts, program_cell=program)
    assert shown == (not hidden or (program_in_table and not program_hidden))
    assert combined_hidden(release, parts) == bool(hidden)  # a subset of regions


Q = [date(2026, m, 1) for m in (1, 4, 7, 10)]


def _combined(method, rows):
    """The arguments ``compare`` takes, built from per-region points as the pages do."""
    from amparo.indicators.aggregation import cells

    found = {p: cells(method, rows, p) for p, _v in series(method, rows)}
    reported = {p: {c.region for c in found[p]} for p in found}
    return reported, lambda period, regions: aggregate(
        method, [c for c in found.get(period, []) if c.region in regions]
    )


def test_progress_compares_one_period_with_that_periods_target() -> None:
    from amparo.indicators.aggregation import compare

    rows = [Point("A", q, 10) for q in Q]
    reported, combined = _combined("sum", rows)
    found = compare("sum", reported, combined, [Point("A", Q[3], 20)], [Point("A", Q[0], 10)])
    assert (found.period, found.current, found.baseline, found.target) == (Q[3], 10, 10, 20)
    assert progress(found.current, found.baseline, found.target, higher_is_better=True) == 0


def test_targets_of_regions_are_combined_for_the_same_period_and_regions() -> None:
    from amparo.indicators.aggregation import compare

    rows = [Point(r, q, v) for q in Q for r, v in (("A", 10), ("B", 30))]
    reported, combined = _combined("sum", rows)
    targets = [Point("A", Q[3], 20), Point("B", Q[3], 40), Point("A", date(2027, 1, 1), 99)]
    baselines = [Point("A", Q[0], 10), Point("B", Q[0], 20)]
    found = compare("sum", reported, combined, targets, baselines)
    # 2027 has a target but no value yet: 2026-T4 is compared, both regions.
    assert (found.period, found.current, found.baseline, found.target) == (Q[3], 40, 30, 60)
    # Only A set a target for the last quarter: only A is compared.
    found = compare("sum", reported, combined, [Point("A", Q[3], 20)], baselines)
    assert (found.current, found.baseline, found.target, found.regions) == (10, 10, 20, ("A",))
    # Means are compared with the mean of the targets.
    reported, combined = _combined("mean", rows)
    found = compare("mean", reported, combined, targets[:2], baselines)
    assert (found.current, found.baseline, found.target) == (20, 15, 30)


def test_without_a_target_the_latest_value_is_shown_without_progress() -> None:
    from amparo.indicators.aggregation import compare

    rows = [Point("A", Q[0], 3), Point("A", Q[1], 5)]
    reported, combined = _combined("sum", rows)
    found = compare("sum", reported, combined, [], [])
    assert (found.period, found.current, found.target, found.compared) == (Q[1], 5, None, False)
    found = compare("sum", reported, combined, [Point("A", date(2027, 1, 1), 8)], [])
    assert (found.current, found.target, found.compared) == (5, 8, False)


def test_latest_value_over_regions_holds_each_regions_latest_value() -> None:
    rows = [Point("LOR", date(2025, 1, 1), 7), Point("UCA", date(2026, 1, 1), 2)]
    assert series("last", rows) == [(date(2025, 1, 1), 7), (date(2026, 1, 1), 9)]
    assert series("last", rows)[-1][1] == aggregate("last", rows)


@given(points)
def test_the_last_point_of_a_latest_value_series_is_the_aggregate(rows) -> None:
    if rows:
        assert series("last", rows)[-1][1] == pytest.approx(aggregate("last", rows))


def test_a_ratio_divides_the_sums_of_its_parts() -> None:
    from amparo.indicators.aggregation import ratio_series

    top = [Point("A", Q[0], 1), Point("B", Q[0], 9), Point("C", Q[0], 5)]
    bottom = [Point("A", Q[0], 2), Point("B", Q[0], 18)]  # C has no denominator
    assert ratio_series(top, bottom, percent=True) == [(Q[0], 50.0)]
    top = [Point("A", Q[0], 1), Point("B", Q[0], 3)]
    bottom = [Point("A", Q[0], 10), Point("B", Q[0], 30)]
    # Not the mean of 10% and 10% weighted by nothing: 4 / 40.
    assert ratio_series(top, bottom, percent=True) == [(Q[0], 10.0)]


def _held(method, rows, targets, until):
    """As ``_combined``, with the cells of the target periods a stock holds a value in."""
    from amparo.indicators.aggregation import cells_by_period

    found = cells_by_period(method, rows, targets, until=until)
    reported = {p: {c.region for c in found[p]} for p in found}
    return reported, lambda period, regions: aggregate(
        method, [c for c in found.get(period, []) if c.region in regions]
    )


def test_a_stock_is_compared_with_a_later_target_by_its_held_value() -> None:
    from amparo.indicators.aggregation import compare

    rows = [Point("A", Q[1], 1)]
    targets = [Point("A", Q[3], 2)]
    reported, combined = _held("last", rows, targets, until=date(2026, 11, 28))
    found = compare("last", reported, combined, targets, [])
    assert (found.period, found.current, found.target, found.compared) == (Q[3], 1, 2, True)
    assert progress(found.current, found.baseline, found.target, higher_is_better=True) == 0.5
    # Before the target's quarter begins there is no value of that quarter to compare.
    reported, combined = _held("last", rows, targets, until=date(2026, 9, 30))
    found = compare("last", reported, combined, targets, [])
    assert (found.period, found.current, found.target, found.compared) == (Q[1], 1, 2, False)
    # A flow does not hold: nothing done in the last quarter is not the second quarter's 1.
    reported, combined = _held("sum", rows, targets, until=date(2026, 11, 28))
    assert compare("sum", reported, combined, targets, []).compared is False


targets = st.lists(
    st.builds(
        Point,
        st.sampled_from(["A", "B", "C"]),
        st.sampled_from([date(2026, m, 1) for m in range(1, 10)]),
        st.floats(1, 1000, allow_nan=False),
    ),
    max_size=6,
)


@given(points, targets, st.sampled_from([date(2026, m, 15) for m in range(1, 10)]))
def test_a_stock_is_compared_at_the_latest_target_its_regions_hold_a_value_for(
    rows, goals, until
) -> None:
    from amparo.indicators.aggregation import compare

    def held(region, period):
        earlier = [p for p in rows if p.region == region and p.period <= period]
        return max(earlier, key=lambda p: p.period) if earlier else None

    reported, combined = _held("last", rows, goals, until)
    found = compare("last", reported, combined, goals, [])
    # A period someone reported in has values whatever ``until`` says.
    began = {p.period for p in rows} | {d for d in {t.period for t in goals} if d <= until}
    eligible = [t.period for t in goals if t.period in began and held(t.region, t.period)]
    assert found.compared == bool(eligible)
    if not eligible:
        return
    period = max(eligible)
    regions = sorted({t.region for t in goals if t.period == period and held(t.region, period)})
    goal_of = {t.region: t.value for t in goals if t.period == period}
    assert (found.period, found.regions) == (period, tuple(regions))
    assert found.current == pytest.approx(sum(held(r, period).value for r in regions))
    assert found.target == pytest.approx(sum(goal_of[r] for r in regions))


@given(points, targets)
def test_only_a_stock_has_values_in_periods_nobody_reported_in(rows, goals) -> None:
    from amparo.indicators.aggregation import cells, cells_by_period

    for method in ("sum", "mean"):
        found = cells_by_period(method, rows, goals, until=date(2027, 1, 1))
        assert list(found) == [p for p, _v in series(method, rows)]
    found = cells_by_period("last", rows, goals, until=date(2027, 1, 1))
    for period, held in found.items():
        assert held == cells("last", rows, period)
        assert period in {p.period for p in rows} | {t.period for t in goals}


@given(points, st.sampled_from(["sum", "mean", "last"]))
def test_the_one_pass_cells_match_the_cells_of_each_period(rows, method) -> None:
    from amparo.indicators.aggregation import _cells_at, cells

    periods = [date(2026, m, 1) for m in range(1, 9)]
    grouped = _cells_at(method, rows, periods)
    for period in periods:
        assert grouped[period] == cells(method, rows, period)
    assert series(method, rows) == [
        (period, aggregate(method, cells(method, rows, period)))
        for period in sorted({p.period for p in rows})
    ]
