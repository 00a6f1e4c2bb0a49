"""Naming what an output shows as a cell (pure): the outputs print an indicator's code, a
region's code (or name), a period and a disaggregation; the audit names the same number
by its ``CellKey`` (``amparo/disclosure/keys.py``)."""

from __future__ import annotations

from datetime import date

from amparo.disclosure import keys
from amparo.disclosure.model import CellKey

PROGRAM = keys.PROGRAM  # all regions together
HIDDEN_MARKS = frozenset({"c", "<5", "—", "-"})  # what an output prints for a hidden count


def period_key(day: date, frequency: str) -> str:
    """``2027-01`` for a month, ``2027-Q1`` for a quarter, ``2027`` for a year."""
    return keys.period_label(day, frequency)


def obs_key(indicator: str, region: str, period: str, disaggregation: str = "") -> CellKey:
    return keys.obs(indicator, region, period, disaggregation)


def parse_number(text: object) -> float | None:
    """A figure as an output prints it (``1,234``, ``12.5``, ``7``), or None when it is not
    a number (a hidden mark, an empty cell)."""
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return float(text)
    cleaned = str(text).strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
    if not cleaned or cleaned in HIDDEN_MARKS:
        return None
    try:
        return float(cleaned)
    except ValueError:
        return None


def is_hidden_mark(text: object) -> bool:
    return isinstance(text, str) and text.strip() in HIDDEN_MARKS
