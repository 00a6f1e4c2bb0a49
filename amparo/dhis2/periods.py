"""Periods in DHIS2 notation (pure): ``202601`` (a month), ``2026Q1`` (a quarter),
``2026`` (a year), as the DHIS2 Web API names them; amparo identifies a period by its
first day and the indicator's frequency."""

from __future__ import annotations

import re
from datetime import date

from amparo.indicators.periods import MONTHLY, QUARTERLY, YEARLY, next_period, period_start

_MONTH = re.compile(r"^(\d{4})(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def to_dhis2(start: date, frequency: str) -> str:
    """The DHIS2 name of the period of ``frequency`` that starts on (or contains) ``start``."""
    start = period_start(start, frequency)
    if frequency == YEARLY:
        return f"{start.year:04d}"
    if frequency == QUARTERLY:
        return f"{start.year:04d}Q{(start.month - 1) // 3 + 1}"
    if frequency == MONTHLY:
        return f"{start.year:04d}{start.month:02d}"
    raise ValueError(f"no DHIS2 period for {frequency!r}")


def from_dhis2(text: str) -> tuple[date, str]:
    """The first day and the frequency of a DHIS2 period: monthly, quarterly or yearly.
    Other period types (days, weeks, financial years) and impossible months raise
    ``ValueError``."""
    text = text.strip()
    if match := _YEAR.match(text):
        year = int(match.group(1))
        if year < 1:
            raise ValueError("year out of range")
        return date(year, 1, 1), YEARLY
    if match := _QUARTER.match(text):
        year = int(match.group(1))
        if year < 1:
            raise ValueError("year out of range")
        return date(year, 3 * (int(match.group(2)) - 1) + 1, 1), QUARTERLY
    if match := _MONTH.match(text):
        year, month = int(match.group(1)), int(match.group(2))
        if year < 1 or not 1 <= month <= 12:
            raise ValueError("month out of range")
        return date(year, month, 1), MONTHLY
    raise ValueError("not a monthly, quarterly or yearly DHIS2 period (202601, 2026Q1, 2026)")


def span(text: str) -> tuple[date, date]:
    """The days a DHIS2 period covers, as [first day, first day after): what an export
    for ``--period 2026`` (or ``2026Q1``, ``202601``) selects."""
    start, frequency = from_dhis2(text)
    return start, next_period(start, frequency)


def amparo_label(start: date, frequency: str) -> str:
    """The same period as amparo's files write it (``2026-01``, ``2026-Q1``, ``2026``), which
    ``amparo.indicators.periods.parse_period`` reads back."""
    if frequency == YEARLY:
        return f"{start.year:04d}"
    if frequency == QUARTERLY:
        return f"{start.year:04d}-Q{(start.month - 1) // 3 + 1}"
    return f"{start.year:04d}-{start.month:02d}"
