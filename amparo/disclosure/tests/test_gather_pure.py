"""Reading figures back from what outputs print, and keeping them per cell (pure)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from amparo.disclosure import checks
from amparo.disclosure.gather import Figure, Gathered
from amparo.disclosure.gather.cells import is_hidden_mark, obs_key, parse_number, period_key
from amparo.disclosure.gather.outputs import POINT, _dhis2_day

CELL = obs_key("IND", "PE-LOR", "2027-01")


def test_numbers_read_back_as_outputs_print_them() -> None:
    assert parse_number("1,234") == 1234.0
    assert parse_number("12.5") == 12.5
    assert parse_number(7) == 7.0
    assert parse_number("\u00a0 42 ") == 42.0
    for text in ("c", "<5", "—", "", None, "n/a", True):
        assert parse_number(text) is None
    assert is_hidden_mark("c") and is_hidden_mark(" <5 ") and not is_hidden_mark("0")
    assert not is_hidden_mark(None)


@given(st.integers(min_value=0, max_value=10**9))
def test_any_count_printed_with_thousands_comes_back(n: int) -> None:
    assert parse_number(f"{n:,}") == n
    assert parse_number(str(n)) == n


def test_cells_are_named_as_the_engine_names_them() -> None:
    assert obs_key("IND", "PE-LOR", "2027", "sex=f; age=10-14") == (
        "obs",
        "IND",
        "PE-LOR",
        "2027",
        "age=10-14;sex=f",
    )
    assert period_key(date(2027, 5, 1), "monthly") == "2027-05"
    assert period_key(date(2027, 5, 1), "quarterly") == "2027-Q2"
    assert period_key(date(2027, 5, 1), "yearly") == "2027"
    assert _dhis2_day("2027Q3") == date(2027, 7, 1)
    assert _dhis2_day("202711") == date(2027, 11, 1)
    assert _dhis2_day("2027") == date(2027, 1, 1)


def test_chart_points_are_read_from_their_titles() -> None:
    svg = (
        '<svg><circle cx="1" cy="2" r="2.5" fill="#000"><title>2027-01: 1,234</title></circle>'
        '<circle cx="3" cy="4" r="2.5" fill="#000"><title>2027-02: 7</title></circle></svg>'
    )
    assert POINT.findall(svg) == [("2027-01", "1,234"), ("2027-02", "7")]


def test_a_cell_shown_anywhere_is_known_whatever_another_output_hides() -> None:
    found = Gathered()
    found.add(
        [
            Figure(CELL, None, "CSV row 2"),
            Figure(CELL, 12.0, "API item 1"),
            Figure(obs_key("IND", "PE-LOR", "2027-02"), None, "CSV row 3"),
        ]
    )
    found.finish()
    assert found.shown == {CELL: 12.0}
    assert found.hidden == {obs_key("IND", "PE-LOR", "2027-02")}
    assert found.where[CELL] == ["CSV row 2", "API item 1"]
    assert found.figures == 3


def test_outputs_that_disagree_are_kept_for_the_report() -> None:
    found = Gathered()
    found.add([Figure(CELL, 12.0, "a"), Figure(CELL, 12.4, "b"), Figure(CELL, 15.0, "c")])
    assert found.shown[CELL] == 12.0
    assert found.conflicts == [(CELL, 12.0, 15.0)]


def test_small_counts_shown_as_they_are_are_leaks_outside_known_regions() -> None:
    found = Gathered()
    other = obs_key("IND", "PE-UCA", "2027-01")
    program = obs_key("X", "*", "2027")
    found.add([Figure(CELL, 3.0, "a"), Figure(other, 3.0, "b"), Figure(program, 2, "c")])
    values = {CELL: 3.0, other: 3.0}
    leaks = checks.shown_small(found, values, k=5, known={"PE-UCA"})
    assert [leak.cell for leak in leaks] == [CELL]
    assert leaks[0].pinned and leaks[0].low == 3
    assert checks.shown_small(found, values, k=3, known=set()) == []


def test_reports_read_in_words_and_as_json() -> None:
    result = checks.Result(reader="viewer PE-LOR", k=5, figures=10, outputs=["a", "b"], hidden=2)
    text = checks.as_text(result)
    assert "no leak found: 10 figures from 2 outputs, 2 hidden cells checked" in text
    result.leaks.append(
        checks.LeakReport(
            cell="IND · PE-LOR · 2027-01 · total",
            key=list(CELL),
            low=1,
            high=3,
            pinned=False,
            relations=["months of 2027"],
            published=["IND · PE-LOR · 2027 · total: CSV row 4"],
        )
    )
    result.skipped["dashboards"] = "OutputError: 500"
    text = checks.as_text(result)
    assert "LEAK: IND · PE-LOR · 2027-01 · total in 1..3" in text
    assert "  from: IND · PE-LOR · 2027 · total: CSV row 4" in text
    assert "NOT COVERED: output dashboards failed" in text
    assert "no leak found" not in text
    import json

    data = json.loads(checks.as_json(result))
    assert data["ok"] is False and data["leaks"][0]["high"] == 3
    assert data["skipped"] == {"dashboards": "OutputError: 500"}
