"""DHIS2 data value sets (pure): the fields the DHIS2 Web API documents, values named
through the mapping, and row-level problems for what the mapping does not name."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from amparo.dhis2.datavalues import (
    CSV_COLUMNS,
    NOT_A_SET,
    Mapping2,
    Value,
    as_csv,
    as_json,
    export_values,
    json_rows,
    number,
    parse_data_values,
)
from amparo.indicators.observation_import import IndicatorSpec

MAPPING = Mapping2(
    data_elements={"OUT-TRAINED": "deTrained01", "OC-SDG": "deSdg000001"},
    org_units={"PE-LOR": "ouLoreto001", "PE-UCA": "ouUcayali01"},
    combos={"": "HllvX50cXC0", "sex=f": "cocFemale01", "sex=m": "cocMale0001"},
    attribute="HllvX50cXC0",
)
SPECS = {
    "OUT-TRAINED": IndicatorSpec("monthly", True, frozenset({"sex"})),
    "OC-SDG": IndicatorSpec("yearly", True, frozenset({"sex"})),
}
VOCABULARIES = {"sex": frozenset({"f", "m"})}
# The fields of a data value in the DHIS2 Web API's dataValueSets (JSON).
DOCUMENTED = {
    "dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo",
    "value", "comment",
}  # fmt: skip


def _values() -> list[Value]:
    return [
        Value("OUT-TRAINED", "monthly", "PE-LOR", date(2026, 1, 1), "", Decimal("12.00")),
        Value("OUT-TRAINED", "monthly", "PE-LOR", date(2026, 1, 1), "sex=f", Decimal("7")),
        Value("OC-SDG", "yearly", "PE-UCA", date(2026, 1, 1), "", Decimal("1.50"), "nota"),
        Value("OUT-TRAINED", "monthly", "PE-SAM", date(2026, 1, 1), "", Decimal("3")),
        Value("OTHER", "monthly", "PE-LOR", date(2026, 1, 1), "age=0-17", Decimal("3")),
    ]


def test_the_export_uses_the_documented_fields_and_notation() -> None:
    export = export_values(_values(), MAPPING)
    assert export.values[0] == {
        "dataElement": "deTrained01",
        "period": "202601",
        "orgUnit": "ouLoreto001",
        "categoryOptionCombo": "HllvX50cXC0",
        "attributeOptionCombo": "HllvX50cXC0",
        "value": "12",
    }
    assert export.values[2]["period"] == "2026" and export.values[2]["value"] == "1.5"
    assert export.values[2]["comment"] == "nota"
    assert all(set(v) <= DOCUMENTED for v in export.values)
    assert len(export.values) == 3
    assert export.unmapped == [
        "region PE-SAM",
        "indicator OTHER",
        "disaggregation age=0-17",
    ]
    document = json.loads(as_json(export))
    assert list(document) == ["dataValues"] and document["dataValues"] == export.values


def test_the_csv_has_the_documented_columns() -> None:
    rows = list(csv.reader(io.StringIO(as_csv(export_values(_values(), MAPPING)))))
    assert rows[0] == CSV_COLUMNS == [
        "dataelement", "period", "orgunit", "catoptcombo", "attroptcombo", "value",
        "storedby", "lastupd", "comment",
    ]  # fmt: skip
    assert rows[1] == [
        "deTrained01", "202601", "ouLoreto001", "HllvX50cXC0", "HllvX50cXC0", "12", "", "", "",
    ]  # fmt: skip


def test_without_an_attribute_combo_the_field_is_left_out() -> None:
    bare = Mapping2(MAPPING.data_elements, MAPPING.org_units, MAPPING.combos, "")
    assert "attributeOptionCombo" not in export_values(_values(), bare).values[0]


def test_a_json_set_with_shared_fields_reads_as_rows() -> None:
    document = {
        "period": "202602",
        "orgUnit": "ouLoreto001",
        "dataValues": [
            {"dataElement": "deTrained01", "categoryOptionCombo": "cocFemale01", "value": 4},
            {"dataElement": "deTrained01", "orgUnit": "ouUcayali01", "value": "9"},
        ],
    }
    rows = list(json_rows(json.dumps(document)))
    assert rows[0] == CSV_COLUMNS
    assert rows[1][:6] == ["deTrained01", "202602", "ouLoreto001", "cocFemale01", "", "4"]
    assert rows[2][:6] == ["deTrained01", "202602", "ouUcayali01", "", "", "9"]
    assert list(json_rows(b"not json")) == [[NOT_A_SET]]
    assert list(json_rows("[1, 2]")) == [[NOT_A_SET]]


def _parse(rows, regions=frozenset({"PE-LOR"})):
    return parse_data_values(iter(rows), MAPPING, SPECS, regions, VOCABULARIES)


def test_rows_with_unmapped_codes_or_bad_periods_are_named_by_row() -> None:
    result = _parse(
        [
            ["dataElement", "period", "orgUnit", "categoryOptionCombo", "attributeOptionCombo",
             "value"],
            ["deTrained01", "202601", "ouLoreto001", "cocFemale01", "HllvX50cXC0", "4"],
            ["deUnknown01", "202601", "ouLoreto001", "", "", "4"],
            ["deTrained01", "202601", "ouElsewhere", "", "", "4"],
            ["deTrained01", "202601", "ouLoreto001", "cocUnknown1", "", "4"],
            ["deTrained01", "202601", "ouLoreto001", "", "aocOther001", "4"],
            ["deTrained01", "2026W01", "ouLoreto001", "", "", "4"],
            ["deTrained01", "2026", "ouLoreto001", "", "", "4"],  # a year for a monthly one
            ["deTrained01", "202602", "ouUcayali01", "", "", "4"],  # another region
            ["deTrained01", "202603", "ouLoreto001", "", "", "-1"],
            [],
        ]
    )  # fmt: skip
    assert [(r.indicator, r.region, r.period, r.disaggregation, r.value) for r in result.valid] == [
        ("OUT-TRAINED", "PE-LOR", date(2026, 1, 1), "sex=f", Decimal(4))
    ]
    assert [(p.row, p.reason) for p in result.problems] == [
        (3, "unmapped_data_element"),
        (4, "unmapped_org_unit"),
        (5, "unmapped_category_option_combo"),
        (6, "unmapped_attribute_option_combo"),
        (7, "bad_period"),
        (8, "bad_period"),
        (9, "region_not_allowed"),
        (10, "negative"),
    ]
    assert result.rows_read == 9 and result.rows_valid == 1 and result.problem_count == 8


def test_a_file_that_is_not_a_data_value_set_is_refused_whole() -> None:
    assert _parse([[NOT_A_SET]]).fatal
    missing = _parse([["dataelement", "period"], ["x", "2026"]])
    assert missing.fatal and {p.column for p in missing.problems} == {"orgunit", "value"}
    assert _parse([]).fatal


def test_vocabulary_and_duplicates_still_apply() -> None:
    combos = dict(MAPPING.combos) | {"sex=x": "cocOther001"}
    mapping = Mapping2(MAPPING.data_elements, MAPPING.org_units, combos, MAPPING.attribute)
    result = parse_data_values(
        iter(
            [
                CSV_COLUMNS,
                ["deTrained01", "202601", "ouLoreto001", "cocOther001", "", "4", "", "", ""],
                ["deTrained01", "202601", "ouLoreto001", "", "", "4", "", "", ""],
                ["deTrained01", "202601", "ouLoreto001", "HllvX50cXC0", "", "5", "", "", ""],
            ]
        ),
        mapping,
        SPECS,
        frozenset({"PE-LOR"}),
        VOCABULARIES,
    )
    assert [(p.row, p.reason) for p in result.problems] == [
        (2, "bad_disaggregation"),
        (4, "duplicate_in_file"),
    ]


@given(st.decimals(min_value=0, max_value=10**11, places=2, allow_nan=False))
def test_numbers_read_back_as_the_same_value(value: Decimal) -> None:
    text = number(value)
    assert Decimal(text) == value
    assert "E" not in text and (text == "0" or not text.endswith((".", ".0")))


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["OUT-TRAINED", "OC-SDG"]),
            st.sampled_from(["PE-LOR", "PE-UCA"]),
            st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
            st.sampled_from(["", "sex=f", "sex=m"]),
            st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
        ),
        max_size=20,
        unique_by=lambda t: (t[0], t[1], t[2].year, t[2].month, t[3]),
    )
)
def test_exported_values_read_back_as_the_same_observations(rows) -> None:
    frequency = {code: spec.frequency for code, spec in SPECS.items()}
    values = {
        (code, region, date(day.year, day.month if frequency[code] == "monthly" else 1, 1), dis): v
        for code, region, day, dis, v in rows
    }
    export = export_values(
        [Value(c, frequency[c], r, p, d, v) for (c, r, p, d), v in values.items()], MAPPING
    )
    read = _parse(list(json_rows(as_json(export))), regions=frozenset({"PE-LOR", "PE-UCA"}))
    assert not read.problems
    assert {(r.indicator, r.region, r.period, r.disaggregation): r.value for r in read.valid} == (
        values
    )
