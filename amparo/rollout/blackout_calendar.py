"""Blackout periods over time, pure: the yearly ones expanded over a planning horizon,
and the weeks of a month as the calendar page shows them."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Generic, TypeVar

T = TypeVar("T")

# How far ahead the planner's input repeats yearly blackouts from the plan's start.
PLANNING_HORIZON_DAYS = 3 * 366


@dataclass(frozen=True)
class Period:
    """A blackout's days (inclusive) and whether they repeat every year."""

    first: date
    last: date
    every_year: bool = False


def fits_in_a_year(first: date, last: date) -> bool:
    """Whether a period from ``first`` to ``last`` can repeat yearly without running into
    its own next year: it must end before the same day a year later."""
    return last < in_year(first, first.year + 1)


def in_year(day: date, year: int) -> date:
    """``day``'s month and day in ``year``; 29 February becomes 28 February in years
    without one."""
    if day.month == 2 and day.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return day.replace(year=year)


def occurrences(period: Period, start: date, end: date) -> list[tuple[date, date]]:
    """The days of ``period`` that touch ``start``..``end`` (inclusive), each occurrence
    whole: a one-off period once (if it touches), a yearly one in each year from its own
    first year on. A yearly period that crosses the new year (December to January) keeps
    crossing it."""
    if not period.every_year:
        touches = period.first <= end and period.last >= start
        return [(period.first, period.last)] if touches else []
    spans_years = period.last.year - period.first.year
    found = []
    for year in range(max(period.first.year, start.year - spans_years), end.year + 1):
        first = in_year(period.first, year)
        last = in_year(period.last, year + spans_years)
        if first <= end and last >= start:
            found.append((first, last))
    return found


def expand_yearly(periods: Iterable[Period], start: date, end: date) -> list[tuple[date, date]]:
    """Every occurrence of ``periods`` touching ``start``..``end``, sorted: what the planner
    reads as a region's blackouts over its horizon."""
    return sorted(day for period in periods for day in occurrences(period, start, end))


@dataclass
class Day(Generic[T]):
    """A square of the month calendar: its date, whether it belongs to the month shown,
    and the blackouts (as given) covering it."""

    day: date
    in_month: bool
    items: list[T] = field(default_factory=list)


def month_weeks(year: int, month: int, items: Sequence[tuple[date, date, T]]) -> list[list[Day[T]]]:
    """The weeks (Monday first) of ``month``, each day with the ``items`` whose inclusive
    first..last days cover it; items are ``(first, last, anything)``, already expanded."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [
            Day(
                day,
                day.month == month,
                [item for first, last, item in items if first <= day <= last],
            )
            for day in week
        ]
        for week in weeks
    ]


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    """The (year, month) ``by`` months after (or before) the given one."""
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def horizon(start: date) -> tuple[date, date]:
    """The days a plan starting on ``start`` reads yearly blackouts over."""
    return start, start + timedelta(days=PLANNING_HORIZON_DAYS)
