"""Reporting periods (pure): a period is identified by its first day."""

from __future__ import annotations

import re
from datetime import date

MONTHLY, QUARTERLY, YEARLY = "monthly", "quarterly", "yearly"
_MONTHS = {MONTHLY: 1, QUARTERLY: 3, YEARLY: 12}


def period_start(day: date, frequency: str) -> date:
    """The first day of the period of ``frequency`` that contains ``day``."""
    if frequency == YEARLY:
        return date(day.year, 1, 1)
    if frequency == QUARTERLY:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return date(day.year, day.month, 1)


def _shift(start: date, months: int) -> date:
    month = start.month - 1 + months
    return date(start.year + month // 12, month % 12 + 1, 1)


def next_period(start: date, frequency: str) -> date:
    return _shift(start, _MONTHS[frequency])


def previous_period(start: date, frequency: str) -> date:
    return _shift(start, -_MONTHS[frequency])


def asked_or_current(text: str, frequency: str, today: date) -> date:
    """The period ``text`` names (as ``parse_period`` reads it), or the one ``today`` falls
    in when it names none."""
    try:
        return parse_period(text, frequency)
    except ValueError:
        return period_start(today, frequency)


def periods_between(first: date, last: date, frequency: str) -> list[date]:
    """Every period start from the period of ``first`` to that of ``last``, inclusive."""
    current, end = period_start(first, frequency), period_start(last, frequency)
    found = []
    while current <= end:
        found.append(current)
        current = next_period(current, frequency)
    return found


def label(start: date, frequency: str) -> str:
    """``2027``, ``2027-T1`` (trimestre) or ``2027-03``."""
    if frequency == YEARLY:
        return f"{start.year}"
    if frequency == QUARTERLY:
        return f"{start.year}-T{(start.month - 1) // 3 + 1}"
    return f"{start.year}-{start.month:02d}"


_PATTERNS = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), MONTHLY),
    (re.compile(r"^(\d{4})-[TQ]([1-4])$", re.IGNORECASE), QUARTERLY),
    (re.compile(r"^(\d{4})$"), YEARLY),
)


def parse_period(text: str, frequency: str) -> date:
    """Read ``2027-03``, ``2027-T1`` / ``2027-Q1``, ``2027`` or an ISO date, as a period of
    ``frequency``; ``ValueError`` with the reason otherwise."""
    text = text.strip()
    try:
        return period_start(date.fromisoformat(text), frequency)
    except ValueError:
        pass
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if not match:
            continue
        year = int(match.group(1))
        if kind == YEARLY:
            day = date(year, 1, 1)
        elif kind == QUARTERLY:
            day = date(year, 3 * (int(match.group(2)) - 1) + 1, 1)
        else:
            month = int(match.group(2))
            if not 1 <= month <= 12:
                raise ValueError("month out of range")
            day = date(year, month, 1)
        if _MONTHS[kind] < _MONTHS[frequency] or kind == frequency:
            return period_start(day, frequency)
        raise ValueError(f"a {kind} period for a {frequency} indicator")
    raise ValueError("not a period (use 2027-03, 2027-T1 or 2027)")
