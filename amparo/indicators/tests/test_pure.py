"""Periods, aggregation, target progress and suppression: pure, property-tested."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.indicators.aggregation import Point, aggregate, progress, ratio, series
from amparo.indicators.periods import (
    label,
    next_period,
    parse_period,
    period_start,
    periods_between,
)
from amparo.suppression import HIDDEN_TOTAL, SUPPRESSED, suppress_with_total

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
frequencies = st.sampled_from(["monthly", "quarterly", "yearly"])


@given(days, frequencies)
def test_a_day_falls_in_exactly_one_period(day, frequency) -> None:
    start = period_start(day, frequency)
    assert start <= day < next_period(start, frequency)
    assert period_start(start, frequency) == start


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


@given(st.lists(st.integers(0, 60), min_size=1, max_size=8))
def test_a_suppressed_cell_can_never_be_recovered_from_the_total(counts) -> None:
    shown, total = suppress_with_total(counts)
    hidden = [i for i, v in enumerate(shown) if v == SUPPRESSED]
    for i, value in enumerate(shown):
        if isinstance(value, int):
            assert value == counts[i] and (value == 0 or value >= 5)
    if hidden:
        assert total == HIDDEN_TOTAL
    elif sum(counts) == 0 or sum(counts) >= 5:
        assert total == sum(counts)
    else:
        assert total == SUPPRESSED
