"""Yearly blackouts over a planning horizon and the month calendar (pure)."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from amparo.rollout.blackout_calendar import (
    Period,
    expand_yearly,
    fits_in_a_year,
    horizon,
    in_year,
    month_bounds,
    month_weeks,
    occurrences,
    shift_month,
)

DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31))


@st.composite
def yearly_periods(draw) -> Period:
    first = draw(DAYS)
    length = draw(st.integers(min_value=0, max_value=364))
    last = first + timedelta(days=length)
    if not fits_in_a_year(first, last):
        last = in_year(first, first.year + 1) - timedelta(days=1)
    return Period(first, last, every_year=True)


def test_29_february_becomes_28_february_in_other_years() -> None:
    assert in_year(date(2028, 2, 29), 2029) == date(2029, 2, 28)
    assert in_year(date(2028, 2, 29), 2032) == date(2032, 2, 29)
    assert in_year(date(2027, 3, 1), 2028) == date(2028, 3, 1)


def test_a_yearly_period_starting_on_29_february() -> None:
    period = Period(date(2028, 2, 29), date(2028, 3, 10), every_year=True)
    found = occurrences(period, date(2028, 1, 1), date(2030, 12, 31))
    assert found == [
        (date(2028, 2, 29), date(2028, 3, 10)),
        (date(2029, 2, 28), date(2029, 3, 10)),
        (date(2030, 2, 28), date(2030, 3, 10)),
    ]


def test_a_single_day_on_29_february_stays_one_day() -> None:
    period = Period(date(2028, 2, 29), date(2028, 2, 29), every_year=True)
    assert occurrences(period, date(2029, 1, 1), date(2029, 12, 31)) == [
        (date(2029, 2, 28), date(2029, 2, 28))
    ]


def test_a_yearly_period_crossing_the_new_year() -> None:
    period = Period(date(2026, 12, 20), date(2027, 1, 10), every_year=True)
    found = occurrences(period, date(2027, 1, 5), date(2028, 12, 31))
    assert found == [
        (date(2026, 12, 20), date(2027, 1, 10)),  # still running on the horizon's first day
        (date(2027, 12, 20), date(2028, 1, 10)),
        (date(2028, 12, 20), date(2029, 1, 10)),  # begins before the horizon ends
    ]


def test_a_yearly_period_does_not_repeat_before_its_first_year() -> None:
    period = Period(date(2027, 1, 15), date(2027, 3, 31), every_year=True)
    assert occurrences(period, date(2025, 1, 1), date(2026, 12, 31)) == []


def test_a_one_off_period_is_there_once_when_it_touches_the_horizon() -> None:
    period = Period(date(2027, 2, 1), date(2027, 2, 9))
    assert occurrences(period, date(2027, 2, 9), date(2030, 1, 1)) == [
        (date(2027, 2, 1), date(2027, 2, 9))
    ]
    assert occurrences(period, date(2027, 2, 10), date(2030, 1, 1)) == []


def test_expansion_mixes_and_sorts() -> None:
    periods = [
        Period(date(2027, 6, 1), date(2027, 6, 2)),
        Period(date(2027, 1, 15), date(2027, 3, 31), every_year=True),
    ]
    assert expand_yearly(periods, date(2027, 1, 1), date(2028, 12, 31)) == [
        (date(2027, 1, 15), date(2027, 3, 31)),
        (date(2027, 6, 1), date(2027, 6, 2)),
        (date(2028, 1, 15), date(2028, 3, 31)),
    ]


def test_a_year_long_period_cannot_repeat() -> None:
    assert fits_in_a_year(date(2027, 1, 1), date(2027, 12, 31))
    assert not fits_in_a_year(date(2027, 1, 1), date(2028, 1, 1))
    assert fits_in_a_year(date(2028, 2, 29), date(2029, 2, 27))
    assert not fits_in_a_year(date(2028, 2, 29), date(2029, 2, 28))


@given(yearly_periods(), DAYS, st.integers(min_value=0, max_value=2000))
def test_occurrences_touch_the_horizon_in_order_without_overlap(period, start, span) -> None:
    end = start + timedelta(days=span)
    found = occurrences(period, start, end)
    for first, last in found:
        assert first <= end and last >= start
        assert first.year >= period.first.year
        # the same length as the stored period, give or take 29 February
        assert abs((last - first) - (period.last - period.first)) <= timedelta(days=1)
        assert first <= last
    for (_a, last), (first, _b) in pairwise(found):
        assert last < first


@given(yearly_periods(), DAYS, st.integers(min_value=0, max_value=1500))
def test_every_day_that_matches_the_pattern_is_covered(period, start, span) -> None:
    """A day of the horizon whose month and day fall in the period (in a year from the
    first on, not a 29 February moved) is inside some occurrence."""
    end = start + timedelta(days=span)
    found = occurrences(period, start, end)
    for offset in range(0, span + 1, 7):
        day = start + timedelta(days=offset)
        for year in (day.year - 1, day.year):
            if year < period.first.year:
                continue
            first = in_year(period.first, year)
            last = in_year(period.last, year + period.last.year - period.first.year)
            if first <= day <= last:
                assert any(a <= day <= b for a, b in found)


@given(yearly_periods())
def test_the_stored_period_itself_is_an_occurrence(period) -> None:
    assert (period.first, period.last) in occurrences(period, period.first, period.last)


def test_month_weeks_marks_the_days_covered() -> None:
    weeks = month_weeks(2027, 2, [(date(2027, 1, 30), date(2027, 2, 2), "lluvias")])
    assert weeks[0][0].day == date(2027, 2, 1)  # February 2027 begins on a Monday
    days = {d.day: d for week in weeks for d in week}
    assert days[date(2027, 2, 1)].items == ["lluvias"]
    assert days[date(2027, 2, 3)].items == []
    assert all(d.in_month for d in days.values() if d.day.month == 2)
    assert all(len(week) == 7 for week in weeks)


def test_month_weeks_shows_the_neighbouring_days_as_outside() -> None:
    weeks = month_weeks(2027, 3, [])
    assert weeks[0][0].day == date(2027, 3, 1)
    assert not weeks[-1][-1].in_month  # March 2027 ends on a Wednesday


def test_month_helpers() -> None:
    assert month_bounds(2028, 2) == (date(2028, 2, 1), date(2028, 2, 29))
    assert shift_month(2027, 12, 1) == (2028, 1)
    assert shift_month(2027, 1, -1) == (2026, 12)
    assert horizon(date(2027, 1, 1))[1] > date(2029, 12, 31)


@given(st.integers(min_value=1900, max_value=2100), st.integers(1, 12), st.integers(-30, 30))
def test_shifting_months_and_back(year, month, by) -> None:
    assert shift_month(*shift_month(year, month, by), -by) == (year, month)


@given(DAYS, st.integers(min_value=1900, max_value=2200))
def test_a_day_moved_to_another_year_keeps_its_month_and_day(day, year) -> None:
    moved = in_year(day, year)
    assert moved.year == year and moved.month == day.month
    if (day.month, day.day) == (2, 29) and moved.day != 29:
        assert moved.day == 28
    else:
        assert moved.day == day.day


@given(yearly_periods(), st.integers(min_value=0, max_value=30))
def test_yearly_occurrences_never_run_into_each_other(period, years) -> None:
    start = period.first
    end = in_year(period.first, period.first.year + years)
    found = occurrences(period, start, end)
    assert len(found) >= years  # one a year at least
    assert all(last < first for (_a, last), (first, _b) in pairwise(found))
