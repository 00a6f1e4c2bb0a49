"""More of the data value set format (pure): column names as DHIS2 or its JSON write
them, values shared by the set, comments, and what an export cannot name."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from amparo.dhis2.datavalues import (
    Mapping2,
    Value,
    as_csv,
    export_values,
    json_rows,
    number,
    parse_data_values,
)
from amparo.indicators.observation_import import IndicatorSpec

MAPPING = Mapping2(
    data_elements={"OUT-TRAINED": "deTrained01"},
    org_units={"PE-LOR": "ouLoreto001"},
    combos={"": "cocTotal001", "sex=f": "cocFemale01"},
)
SPECS = {"OUT-TRAINED": IndicatorSpec("quarterly", True, frozenset({"sex"}))}


def _parse(rows):
    return parse_data_values(
        iter(rows), MAPPING, SPECS, frozenset({"PE-LOR"}), {"sex": frozenset({"f", "m"})}
    )


@pytest.mark.parametrize(
    "header",
    [
        ["dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value"],
        [
            "dataElement",
            "period",
            "orgUnit",
            "categoryOptionCombo",
            "attributeOptionCombo",
            "value",
        ],
        [" DataElement ", "PERIOD", "OrgUnit", "CatOptCombo", "AttrOptCombo", "Value"],
    ],
)
def test_column_names_as_dhis2_or_its_json_write_them(header) -> None:
    result = _parse([header, ["deTrained01", "2026Q2", "ouLoreto001", "cocFemale01", "", "7"]])
    assert not result.problems
    assert [(r.period, r.disaggregation, r.value) for r in result.valid] == [
        (date(2026, 4, 1), "sex=f", Decimal(7))
    ]


def test_columns_in_any_order_and_unknown_ones_ignored() -> None:
    result = _parse(
        [
            ["value", "storedby", "orgunit", "period", "dataelement", "followup"],
            ["3", "someone", "ouLoreto001", "2026Q1", "deTrained01", "false"],
        ]
    )
    assert [(r.indicator, r.region, r.value, r.source) for r in result.valid] == [
        ("OUT-TRAINED", "PE-LOR", Decimal(3), "DHIS2")
    ]


def test_an_empty_combo_is_the_total_and_the_comment_becomes_the_note() -> None:
    result = _parse(
        [
            ["dataelement", "period", "orgunit", "catoptcombo", "value", "comment"],
            ["deTrained01", "2026Q1", "ouLoreto001", "", "3", "from the health network"],
            ["deTrained01", "2026Q2", "ouLoreto001", "cocTotal001", "4", ""],
        ]
    )
    assert [(r.disaggregation, r.note) for r in result.valid] == [
        ("", "from the health network"),
        ("", ""),
    ]


def test_a_set_wide_attribute_combo_must_be_the_mapped_one() -> None:
    rows = list(
        json_rows(
            '{"period": "2026Q1", "orgUnit": "ouLoreto001", "attributeOptionCombo": "aoc1",'
            ' "dataValues": [{"dataElement": "deTrained01", "value": 2}, "not an object"]}'
        )
    )
    assert rows[1][:6] == ["deTrained01", "2026Q1", "ouLoreto001", "", "aoc1", "2"]
    assert rows[2][:5] == ["", "2026Q1", "ouLoreto001", "", "aoc1"]
    result = _parse(rows)
    assert [p.reason for p in result.problems if p.row == 2] == ["unmapped_attribute_option_combo"]
    assert {p.reason for p in result.problems if p.row == 3} >= {"unmapped_data_element"}


def test_the_csv_quotes_what_needs_quoting() -> None:
    export = export_values(
        [
            Value(
                "OUT-TRAINED", "quarterly", "PE-LOR", date(2026, 1, 1), "", Decimal(5),
                'nota, con "comillas"',
            )
        ],
        MAPPING,
    )  # fmt: skip
    row = list(csv.reader(io.StringIO(as_csv(export))))[1]
    assert row[-1] == 'nota, con "comillas"' and row[4] == ""


def test_what_an_export_cannot_name_is_listed_once() -> None:
    values = [
        Value("OUT-TRAINED", "quarterly", "PE-UCA", date(2026, 1, 1), "", Decimal(1)),
        Value("OUT-TRAINED", "quarterly", "PE-UCA", date(2026, 4, 1), "", Decimal(2)),
        Value("OUT-TRAINED", "quarterly", "PE-LOR", date(2026, 4, 1), "sex=m", Decimal(2)),
    ]
    export = export_values(values, MAPPING)
    assert export.values == []
    assert export.unmapped == ["region PE-UCA", "disaggregation sex=m"]


@pytest.mark.parametrize(
    ("value", "text"),
    [("12.00", "12"), ("0.00", "0"), ("1200", "1200"), ("0.50", "0.5"), ("1E+3", "1000")],
)
def test_numbers(value: str, text: str) -> None:
    assert number(Decimal(value)) == text
