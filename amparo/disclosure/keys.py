"""Cell keys: the names of the numbers amparo publishes (pure).

An indicator's value is ``("obs", indicator_code, region, period, disaggregation)``:

- ``region``: a region's code, or ``"*"`` for the whole program;
- ``period``: ``"2027-01"`` (a month), ``"2027-Q1"`` (a quarter), ``"2027"`` (a year) or
  ``"all"`` (all time);
- ``disaggregation``: ``""`` for the total, else ``"dim=val;dim=val"`` with the dimensions
  sorted, so that one group of people has one name however it was typed.

A value ``"_rest"`` names a *remainder*: the part of a total that its listed parts do not
cover (a total of 9 with 3 girls and 4 boys leaves 2 of unknown sex). amparo never prints a
remainder, but a reader can subtract, so it is protected like any other count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from amparo.disclosure.model import CellKey

OBS = "obs"
PROGRAM = "*"
ALL_TIME = "all"
REST = "_rest"


def month(day: date) -> str:
    """``2027-03`` for any day of March 2027."""
    return f"{day.year}-{day.month:02d}"


def quarter(day: date) -> str:
    """``2027-Q1`` for any day of January to March 2027."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def year(day: date) -> str:
    return f"{day.year}"


def period_label(day: date, frequency: str) -> str:
    """The key's period for a period starting on ``day`` of ``frequency`` (``monthly``,
    ``quarterly`` or ``yearly``, as ``Indicator.frequency``)."""
    if frequency == "yearly":
        return year(day)
    if frequency == "quarterly":
        return quarter(day)
    if frequency == "monthly":
        return month(day)
    raise ValueError(f"unknown frequency {frequency!r}")


def parse_disaggregation(text: str) -> dict[str, str]:
    """``{"age": "10-14", "sex": "f"}`` from ``"sex=f;age=10-14"`` (any order, spaces
    around parts ignored); ``{}`` for ``""``. ``ValueError`` on a part without ``=``, an
    empty dimension or value, or a dimension given twice."""
    found: dict[str, str] = {}
    text = text.strip()
    if not text:
        return found
    for part in text.split(";"):
        dimension, sep, value = part.strip().partition("=")
        dimension, value = dimension.strip(), value.strip()
        if not sep or not dimension or not value:
            raise ValueError(f"not a disaggregation: {text!r} (use dim=value;dim=value)")
        if dimension in found:
            raise ValueError(f"dimension {dimension!r} given twice in {text!r}")
        found[dimension] = value
    return found


def disaggregation(parts: Mapping[str, str] | Iterable[tuple[str, str]]) -> str:
    """The canonical text of a group: ``"age=10-14;sex=f"`` (dimensions sorted)."""
    items = parts.items() if isinstance(parts, Mapping) else parts
    pairs = sorted(items)
    dimensions = [d for d, _v in pairs]
    if len(set(dimensions)) != len(dimensions):
        raise ValueError(f"a dimension given twice: {pairs!r}")
    return ";".join(f"{d}={v}" for d, v in pairs)


def canonical(text: str) -> str:
    """``"age=10-14;sex=f"`` from ``"sex=f; age=10-14"``."""
    return disaggregation(parse_disaggregation(text))


def obs(indicator: str, region: str, period: str, group: str = "") -> CellKey:
    """The key of an indicator's value (``group`` canonicalised, see the module)."""
    return (OBS, indicator, region, period, canonical(group) if group else "")


def is_remainder(key: CellKey) -> bool:
    """Whether ``key`` names a remainder (never printed, see the module)."""
    return key[0] == OBS and f"={REST}" in key[4]


def is_program(key: CellKey) -> bool:
    return key[0] == OBS and key[2] == PROGRAM


def is_year(key: CellKey) -> bool:
    return key[0] == OBS and len(key[3]) == 4 and key[3].isdigit()


def describe(key: CellKey, region_names: Mapping[str, str] | None = None) -> str:
    """Plain words for a report: ``"IND-03 · Loreto · 2027-01 · age=10-14;sex=f"``."""
    if key[0] != OBS:
        return " · ".join(key)
    _kind, indicator, region, period, group = key
    names = region_names or {}
    place = "program" if region == PROGRAM else names.get(region, region)
    parts = [indicator, place, "all time" if period == ALL_TIME else period]
    parts.append(group.replace(f"={REST}", "=rest (not listed)") if group else "total")
    return " · ".join(parts)
