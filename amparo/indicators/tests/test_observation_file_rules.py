"""Reading an observation file, without a database: for rows built from known good and
bad parts, in any column order, every row is kept or refused exactly for the reasons a
plain reading of the rules gives, with its row number and column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.indicators.observation_import import IndicatorSpec, parse_observations

SPECS = {
    "TRAINED": IndicatorSpec("quarterly", True, frozenset({"sex"})),
    "BUDGET": IndicatorSpec("yearly", True, frozenset()),
    "PASTORS": IndicatorSpec("monthly", False, frozenset()),
}
REGIONS = frozenset({"PE-LOR"})

# Each part: (text in the file, the reason it is refused for, or None when it is fine).
indicator_parts = st.sampled_from(
    [("TRAINED", None), ("trained", None), ("BUDGET", None), ("PASTORS", "computed_indicator"),
     ("NOPE", "unknown_indicator")]
)  # fmt: skip
region_parts = st.sampled_from(
    [("PE-LOR", None), ("pe-lor", None), ("PE-UCA", "region_not_allowed"),
     ("", "region_not_allowed")]
)  # fmt: skip
period_parts = st.sampled_from(["2027-T1", "2027-03", "2027", "2027-13", "hoy", ""])
value_parts = st.sampled_from(
    [("14", None), ("7,5", None), ("0", None), ("-1", "negative"), ("mucho", "not_a_number"),
     ("NaN", "not_a_number"), ("", "not_a_number"), ("1e12", "too_large")]
)  # fmt: skip
disaggregation_parts = st.sampled_from(["", "sex=f", "sex = m", "age=10", "sex"])


def _period_reason(code: str, text: str) -> str | None:
    """The period rule read plainly: a month or quarter is taken for a coarser indicator
    (and rounded to its period); a coarser period than the indicator's is refused."""
    finest = {"monthly": 1, "quarterly": 2, "yearly": 3}
    frequency = SPECS[code].frequency
    given_as = {"2027-T1": "quarterly", "2027-03": "monthly", "2027": "yearly"}.get(text)
    if given_as is None or finest[given_as] > finest[frequency]:
        return "bad_period"
    return None


def _expected(indicator, region, period, value, disaggregation) -> set[str]:
    code = indicator[0].upper()
    reasons = {r for r in (indicator[1], region[1], value[1]) if r}
    if code in SPECS:
        reason = _period_reason(code, period)
        if reason:
            reasons.add(reason)
        cleaned = disaggregation.replace(" ", "")
        if cleaned and (
            "=" not in cleaned or cleaned.split("=")[0] not in SPECS[code].disaggregations
        ):
            reasons.add("bad_disaggregation")
    return reasons


rows = st.lists(
    st.tuples(indicator_parts, region_parts, period_parts, value_parts, disaggregation_parts),
    max_size=12,
)
HEADER = ["indicator", "region", "period", "value", "disaggregation"]


@settings(max_examples=300, deadline=None)
@given(rows, st.permutations(range(5)))
def test_each_row_is_kept_or_refused_for_exactly_its_reasons(parts, order) -> None:
    header = [HEADER[i] for i in order]
    lines = [header]
    for indicator, region, period, value, disaggregation in parts:
        cells = [indicator[0], region[0], period, value[0], disaggregation]
        lines.append([cells[i] for i in order])
    result = parse_observations(iter(lines), SPECS, REGIONS)
    assert not result.fatal
    assert result.rows_read == len(parts)  # an indicator cell is never blank here
    seen: set = set()
    kept_rows = []
    for number, part in enumerate(parts, start=2):
        found = {p.reason for p in result.problems if p.row == number}
        expected = _expected(*part)
        if not expected:
            code = part[0][0].upper()
            period = _normal_period(code, part[2])
            key = (code, part[1][0].upper(), period, part[4].replace(" ", ""))
            if key in seen:
                expected = {"duplicate_in_file"}
            seen.add(key)
        assert found == expected, (number, part)
        if not expected:
            kept_rows.append(number)
    assert [row.row for row in result.valid] == kept_rows
    assert result.rows_valid == len(kept_rows)
    assert result.problem_count == len(result.problems)


def _normal_period(code: str, text: str) -> date:
    frequency = SPECS[code].frequency
    month = {"2027-T1": 1, "2027-03": 3, "2027": 1}[text]
    if frequency == "yearly":
        month = 1
    elif frequency == "quarterly":
        month = 3 * ((month - 1) // 3) + 1
    return date(2027, month, 1)


def test_a_kept_row_carries_its_cleaned_values() -> None:
    lines = [
        ["Value", " Indicator ", "REGION", "period", "note", "source", "disaggregation"],
        ["7,5", "trained", "pe-lor", "2027-03", "n" * 3000, "s" * 400, "sex = f"],
    ]
    result = parse_observations(iter(lines), SPECS, REGIONS)
    (row,) = result.valid
    assert (row.row, row.indicator, row.region) == (2, "TRAINED", "PE-LOR")
    assert row.period == date(2027, 1, 1)  # March is in the first quarter
    assert (row.value, row.disaggregation) == (Decimal("7.5"), "sex=f")
    assert (len(row.source), len(row.note)) == (300, 2000)


@pytest.mark.parametrize(
    "header, missing",
    [
        (["indicator", "region", "period"], ["value"]),
        (["valor", "region"], ["indicator", "period", "value"]),
    ],
)
def test_a_file_without_its_columns_names_each_missing_one(header, missing) -> None:
    result = parse_observations(iter([header, ["x"] * len(header)]), SPECS, REGIONS)
    assert result.fatal
    assert [(p.row, p.column, p.reason) for p in result.problems] == [
        (1, column, "missing_column") for column in missing
    ]
    assert result.valid == []


def test_unknown_columns_are_reported_and_ignored() -> None:
    lines = [[*HEADER, "comentario"], ["TRAINED", "PE-LOR", "2027-T1", "3", "", "hola"]]
    result = parse_observations(iter(lines), SPECS, REGIONS)
    assert result.unknown_columns == ["comentario"]
    assert result.rows_valid == 1


def test_an_empty_file_is_refused_as_a_whole() -> None:
    for lines in ([], [["", " "]]):
        result = parse_observations(iter(lines), SPECS, REGIONS)
        assert result.fatal
        assert [p.reason for p in result.problems] == ["empty_file"]


def test_too_many_rows_stop_the_check() -> None:
    lines = [HEADER] + [["TRAINED", "PE-LOR", "2027-T1", str(n), ""] for n in range(6)]
    result = parse_observations(iter(lines), SPECS, REGIONS, max_rows=4)
    assert result.fatal
    assert result.problems[-1].reason == "too_many_rows"
    assert result.problems[-1].row == 6


def test_progress_hears_every_row_handled() -> None:
    heard: list[int] = []
    lines = [HEADER] + [["TRAINED", "PE-LOR", "2027-T1", "1", f"sex={s}"] for s in "fmx"]
    parse_observations(iter(lines), SPECS, REGIONS, on_row=heard.append)
    assert heard == [0, 1, 2]


def test_blank_rows_are_skipped_but_keep_the_numbering() -> None:
    lines = [HEADER, ["", "", "", "", ""], ["TRAINED", "PE-LOR", "2027-T1", "x", ""]]
    result = parse_observations(iter(lines), SPECS, REGIONS)
    assert result.rows_read == 1
    assert [(p.row, p.column, p.reason, p.value) for p in result.problems] == [
        (3, "value", "not_a_number", "x")
    ]
