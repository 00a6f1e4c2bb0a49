"""Read observations from a CSV or XLSX file (pure; no Django import): one row per value
with the columns ``indicator``, ``region``, ``period``, ``value`` and optionally
``disaggregation``, ``source``, ``note`` in any order. Problems come with their row."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from amparo.disclosure.keys import disaggregation as disaggregation_key
from amparo.disclosure.keys import parse_disaggregation
from amparo.imports.checking import CheckReport, Problem, body_rows, header_row
from amparo.indicators.periods import parse_period
from amparo.tabular import Row

REQUIRED = ("indicator", "region", "period", "value")
OPTIONAL = ("disaggregation", "source", "note")


@dataclass(frozen=True)
class IndicatorSpec:
    frequency: str
    typed: bool  # computed and ratio indicators cannot be typed
    disaggregations: frozenset[str]


@dataclass(frozen=True)
class ObservationRow:
    row: int
    indicator: str
    region: str
    period: object  # a date
    disaggregation: str
    value: Decimal
    source: str
    note: str


@dataclass
class ObservationParse(CheckReport):
    valid: list[ObservationRow] = field(default_factory=list)


MAX_DISAGGREGATION = 120  # Observation.disaggregation's length


def combined_disaggregation(
    text: str, allowed: frozenset[str], vocabularies: Mapping[str, frozenset[str]]
) -> str | None:
    """The canonical key of a group of people (``"age=10-14;sex=f"``, dimensions sorted)
    from ``text`` (``"sex=f"``, or several parts in any order: ``"sex=f;age=10-14"``), or
    None when a part is not ``dim=value``, a dimension is not one of ``allowed`` or given
    twice, a value is not in its dimension's vocabulary, or the key is too long."""
    try:
        parts = parse_disaggregation(text)
    except ValueError:
        return None
    if not parts:
        return None
    for dimension, value in parts.items():
        known = vocabularies.get(dimension)
        if dimension not in allowed or (known is not None and value not in known):
            return None
    key = disaggregation_key(parts)
    return key if len(key) <= MAX_DISAGGREGATION else None


def parse_observations(
    rows: Iterator[Row],
    indicators: Mapping[str, IndicatorSpec],
    allowed_regions: frozenset[str],
    max_rows: int = 50_000,
    on_row: Callable[[int], None] | None = None,
    vocabularies: Mapping[str, frozenset[str]] | None = None,
) -> ObservationParse:
    """Check every row; valid ones are kept (observation files are small: ``max_rows``).
    ``on_row`` hears how many rows were handled so far (progress). A disaggregation of a
    dimension with a vocabulary (``vocabularies``: values by dimension) must use one of
    its values; several dimensions combine (``sex=f;age=10-14``) and are stored in their
    canonical order (``combined_disaggregation``)."""
    vocabularies = vocabularies or {}
    result = ObservationParse()
    header = header_row(rows, result)
    if header is None:
        return result
    names = [h.strip().lower() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    for column in missing:
        result.add(Problem(1, column, "missing_column"))
    result.unknown_columns = [n for n in names if n and n not in REQUIRED + OPTIONAL]
    if missing:
        result.fatal = True
        return result
    at = {name: names.index(name) for name in REQUIRED + OPTIONAL if name in names}
    seen: set[tuple[str, str, object, str]] = set()
    for number, row in body_rows(rows, result, on_row):
        if result.rows_read > max_rows:
            result.refuse(Problem(number, "", "too_many_rows"))
            return result

        def cell(name: str, row: list[str] = row) -> str:
            return row[at[name]].strip() if name in at and at[name] < len(row) else ""

        problems = []
        code, region = cell("indicator").upper(), cell("region").upper()
        spec = indicators.get(code)
        if spec is None:
            problems.append(Problem(number, "indicator", "unknown_indicator", code[:40]))
        elif not spec.typed:
            problems.append(Problem(number, "indicator", "computed_indicator", code[:40]))
        if region not in allowed_regions:
            problems.append(Problem(number, "region", "region_not_allowed", region[:40]))
        period = None
        if spec is not None:
            try:
                period = parse_period(cell("period"), spec.frequency)
            except ValueError:
                problems.append(Problem(number, "period", "bad_period", cell("period")[:40]))
        try:
            value = Decimal(cell("value").replace(",", "."))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append(Problem(number, "value", "not_a_number", cell("value")[:40]))
            value = None
        if value is not None and value < 0:
            problems.append(Problem(number, "value", "negative", cell("value")[:40]))
        if value is not None and abs(value) >= Decimal("1e12"):
            problems.append(Problem(number, "value", "too_large", cell("value")[:40]))
        disaggregation = cell("disaggregation").replace(" ", "")
        if disaggregation and spec is not None:
            found = combined_disaggregation(disaggregation, spec.disaggregations, vocabularies)
            if found is None:
                problems.append(
                    Problem(number, "disaggregation", "bad_disaggregation", disaggregation[:40])
                )
            else:
                disaggregation = found
        key = (code, region, period, disaggregation)
        if not problems and key in seen:
            problems.append(Problem(number, "period", "duplicate_in_file", cell("period")[:40]))
        if problems:
            for problem in problems:
                result.add(problem)
            continue
        seen.add(key)
        result.rows_valid += 1
        result.valid.append(
            ObservationRow(
                number,
                code,
                region,
                period,
                disaggregation,
                value,
                cell("source")[:300],
                cell("note")[:2000],
            )
        )
    return result
