"""DHIS2 data value sets, both ways (pure; no Django import).

The format is the one the DHIS2 Web API documents for ``/api/dataValueSets``
(docs.dhis2.org, developer manual, "Data values"): in JSON an object whose
``dataValues`` each carry ``dataElement``, ``period``, ``orgUnit``,
``categoryOptionCombo``, ``attributeOptionCombo``, ``value`` and optionally ``comment``
(``period``, ``orgUnit`` and ``attributeOptionCombo`` may instead be given once on the
object, for all its values); in CSV the columns ``dataelement``, ``period``, ``orgunit``,
``catoptcombo``, ``attroptcombo``, ``value``, ``storedby``, ``lastupd``, ``comment``.

A mapping, kept by program admins, names amparo's indicators, regions and
disaggregations in the DHIS2 instance (codes or UIDs, as the instance is set to read
them)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from amparo.dhis2.periods import amparo_label, from_dhis2, to_dhis2
from amparo.imports.checking import Problem
from amparo.indicators.observation_import import IndicatorSpec, ObservationParse, parse_observations
from amparo.tabular import Row

CSV_COLUMNS = [
    "dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value", "storedby",
    "lastupd", "comment",
]  # fmt: skip
JSON_FIELDS = [
    "dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo", "value",
    "comment",
]  # fmt: skip
# Column names a CSV may use, as DHIS2 writes them or as the JSON names the fields.
ALIASES = {
    "dataelement": "dataelement",
    "period": "period",
    "orgunit": "orgunit",
    "catoptcombo": "catoptcombo",
    "categoryoptioncombo": "catoptcombo",
    "attroptcombo": "attroptcombo",
    "attributeoptioncombo": "attroptcombo",
    "value": "value",
    "comment": "comment",
}
REQUIRED = ("dataelement", "period", "orgunit", "value")
NOT_A_SET = "not_a_data_value_set"  # the marker row of a JSON file that is not one
SOURCE = "DHIS2"


@dataclass(frozen=True)
class Mapping2:
    """amparo's names and DHIS2's, one to one in each direction."""

    data_elements: Mapping[str, str] = field(default_factory=dict)  # indicator -> element
    org_units: Mapping[str, str] = field(default_factory=dict)  # region -> org unit
    combos: Mapping[str, str] = field(default_factory=dict)  # disaggregation ("" total) -> coc
    attribute: str = ""  # the attribute option combo written on every value; "" leaves it out

    def reverse(self) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
        return (
            {v: k for k, v in self.data_elements.items()},
            {v: k for k, v in self.org_units.items()},
            {v: k for k, v in self.combos.items()},
        )


@dataclass(frozen=True)
class Value:
    """One observation as an export reads it."""

    indicator: str
    frequency: str
    region: str
    period: date
    disaggregation: str
    value: Decimal
    note: str = ""


@dataclass
class Export:
    values: list[dict[str, str]] = field(default_factory=list)  # dataValues, JSON names
    unmapped: list[str] = field(default_factory=list)  # what has no DHIS2 name, once each


def number(value: Decimal) -> str:
    """A value as DHIS2 reads numbers: ``12``, ``12.5``, never ``12.00`` or ``1.2E+1``."""
    text = format(value.normalize(), "f")
    return text if text != "-0" else "0"


def export_values(values: Iterable[Value], mapping: Mapping2) -> Export:
    """The data values of ``values`` that the mapping names; what it does not name (an
    indicator, a region or a disaggregation) is listed in ``unmapped`` and left out."""
    result = Export()
    missing: dict[str, None] = {}
    for row in values:
        element = mapping.data_elements.get(row.indicator)
        unit = mapping.org_units.get(row.region)
        combo = mapping.combos.get(row.disaggregation)
        for name, found in (
            (f"indicator {row.indicator}", element),
            (f"region {row.region}", unit),
            (f"disaggregation {row.disaggregation or '(total)'}", combo),
        ):
            if not found:
                missing[name] = None
        if not (element and unit and combo):
            continue
        value = {
            "dataElement": element,
            "period": to_dhis2(row.period, row.frequency),
            "orgUnit": unit,
            "categoryOptionCombo": combo,
        }
        if mapping.attribute:
            value["attributeOptionCombo"] = mapping.attribute
        value["value"] = number(row.value)
        if row.note:
            value["comment"] = row.note
        result.values.append(value)
    result.unmapped = list(missing)
    return result


def as_json(export: Export) -> str:
    return json.dumps({"dataValues": export.values}, ensure_ascii=False, indent=1)


def as_csv(export: Export) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for v in export.values:
        writer.writerow(
            [v["dataElement"], v["period"], v["orgUnit"], v["categoryOptionCombo"],
             v.get("attributeOptionCombo", ""), v["value"], "", "", v.get("comment", "")]
        )  # fmt: skip
    return out.getvalue()


def json_rows(text: bytes | str) -> Iterator[Row]:
    """The rows of a JSON data value set, as the CSV would hold them (header first); the
    object's ``period``, ``orgUnit`` and ``attributeOptionCombo`` fill values that lack
    them. A file that is not a data value set gives the one row ``[NOT_A_SET]``."""
    try:
        document = json.loads(text)
    except (ValueError, UnicodeDecodeError):
        document = None
    values = document.get("dataValues") if isinstance(document, dict) else None
    if not isinstance(values, list):
        yield [NOT_A_SET]
        return
    yield list(CSV_COLUMNS)
    shared = {k: document.get(k) for k in ("period", "orgUnit", "attributeOptionCombo")}
    for item in values:
        item = item if isinstance(item, dict) else {}

        def text_of(name: str, item: dict[str, Any] = item) -> str:
            found = item.get(name, shared.get(name))
            return "" if found is None else str(found)

        yield [
            text_of("dataElement"), text_of("period"), text_of("orgUnit"),
            text_of("categoryOptionCombo"), text_of("attributeOptionCombo"), text_of("value"),
            text_of("storedBy"), text_of("lastUpdated"), text_of("comment"),
        ]  # fmt: skip


def parse_data_values(
    rows: Iterator[Row],
    mapping: Mapping2,
    indicators: Mapping[str, IndicatorSpec],
    allowed_regions: frozenset[str],
    vocabularies: Mapping[str, frozenset[str]],
    on_row: Callable[[int], None] | None = None,
) -> ObservationParse:
    """Check a DHIS2 data value set (rows of its CSV, or of ``json_rows``) as observations:
    every row with a problem of its own (a data element, organisation unit, category or
    attribute option combo the mapping does not name; a period that is not a month, a
    quarter or a year, or not the indicator's frequency), then every rule of an amparo
    observation file (``parse_observations``), by the same row numbers."""
    element_of, unit_of, combo_of = mapping.reverse()
    result = ObservationParse()
    try:
        header = next(rows)
    except StopIteration:
        header = []
    if header == [NOT_A_SET]:
        result.refuse(Problem(1, "", NOT_A_SET))
        return result
    names = [ALIASES.get(str(h).strip().lower(), "") for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing or not header:
        for column in missing or REQUIRED:
            result.add(Problem(1, column, "missing_column"))
        result.fatal = True
        return result
    at = {name: names.index(name) for name in ALIASES.values() if name in names}
    mapped_problems: list[Problem] = []
    translated: list[Row] = [
        ["indicator", "region", "period", "value", "disaggregation", "source", "note"]
    ]
    for number_, row in enumerate(rows, start=2):
        if isinstance(row, Exception) or not any(str(c).strip() for c in row):
            translated.append(row)
            continue

        def cell(name: str, row: Row = row) -> str:
            return str(row[at[name]]).strip() if name in at and at[name] < len(row) else ""

        problems = []
        indicator = element_of.get(cell("dataelement"))
        if indicator is None:
            problems.append(
                Problem(number_, "dataelement", "unmapped_data_element", cell("dataelement")[:40])
            )
        region = unit_of.get(cell("orgunit"))
        if region is None:
            problems.append(Problem(number_, "orgunit", "unmapped_org_unit", cell("orgunit")[:40]))
        combo = cell("catoptcombo")
        disaggregation = combo_of.get(combo) if combo else ""
        if disaggregation is None:
            problems.append(
                Problem(number_, "catoptcombo", "unmapped_category_option_combo", combo[:40])
            )
        attribute = cell("attroptcombo")
        if attribute and attribute != mapping.attribute:
            problems.append(
                Problem(number_, "attroptcombo", "unmapped_attribute_option_combo", attribute[:40])
            )
        period = ""
        try:
            start, frequency = from_dhis2(cell("period"))
            spec = indicators.get(indicator or "")
            if spec is not None and spec.frequency != frequency:
                raise ValueError("another frequency")
            period = amparo_label(start, frequency)
        except ValueError:
            problems.append(Problem(number_, "period", "bad_period", cell("period")[:40]))
        if problems:
            mapped_problems.extend(problems)
            translated.append([])  # its number stays taken; the row is counted below
            continue
        translated.append(
            [indicator, region, period, cell("value"), disaggregation, SOURCE, cell("comment")]
        )
    checked = parse_observations(
        iter(translated), indicators, allowed_regions, on_row=on_row, vocabularies=vocabularies
    )
    rejected = {p.row for p in mapped_problems}
    checked.rows_read += len(rejected)
    everything = sorted([*checked.problems, *mapped_problems], key=lambda p: p.row)
    count = checked.problem_count + len(mapped_problems)
    checked.problems, checked.problem_count = [], 0
    for problem in everything:
        checked.add(problem)
    checked.problem_count = count
    return checked
