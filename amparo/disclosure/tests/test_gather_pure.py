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


def test_what_a_reader_sees_in_full_is_no_leak_to_them() -> None:
    lor, uca = obs_key("IND", "PE-LOR", "2027-01"), obs_key("IND", "PE-UCA", "2027-01")
    program = obs_key("IND", "*", "2027-01")
    event = ("event", "PE-LOR", "9", "pastors", "3")
    values = {lor: 3.0, uca: 0.0, program: 3.0}
    about = checks._about_others
    # a viewer knows nothing in full: every cell counts
    assert all(about(c, values, set()) for c in (lor, uca, program, event))
    # a coordinator of Loreto: their region's cells are theirs, the others are not
    assert not about(lor, values, {"PE-LOR"}) and about(uca, values, {"PE-LOR"})
    assert not about(event, values, {"PE-LOR"})
    assert about(("event", "PE-UCA", "9", "pastors", "3"), values, {"PE-LOR"})
    # the program's cell is only Loreto's while Ucayali has nothing there
    assert not about(program, values, {"PE-LOR"})
    assert about(program, {**values, uca: 2.0}, {"PE-LOR"})
    # other months or groups of Ucayali do not count for this cell
    other = obs_key("IND", "PE-UCA", "2027-02")
    assert not about(program, {**values, other: 8.0}, {"PE-LOR"})


def test_a_leak_says_where_the_figures_that_gave_it_away_were_published() -> None:
    from amparo.disclosure.model import Constraint, Leak

    total, f, m = (obs_key("IND", "PE-LOR", "2027-01", s) for s in ("", "sex=f", "sex=m"))
    found = Gathered()
    found.add([Figure(total, 12, "CSV row 2"), Figure(total, 12, "API item 1")])
    found.add([Figure(m, 10, "XLSX row 5"), Figure(f, None, "API item 2")])
    relation = Constraint.sum(total, [f, m], label="IND Loreto 2027-01: over sex")
    report = checks._report(Leak(f, 2, 2, (relation,)), found.finish())
    assert report.cell == checks.in_words(f) and report.pinned
    assert report.key == list(f) and (report.low, report.high) == (2, 2)
    assert report.relations == ["IND Loreto 2027-01: over sex"]
    assert report.published == sorted(
        [
            f"{checks.in_words(total)}: API item 1",
            f"{checks.in_words(total)}: CSV row 2",
            f"{checks.in_words(m)}: XLSX row 5",
        ]
    )


def test_where_a_cell_was_shown_is_kept_for_its_first_places_only() -> None:
    found = Gathered()
    found.add(Figure(CELL, 12.0, f"page {n}") for n in range(30))
    assert len(found.where[CELL]) == 10 and found.figures == 30
    assert found.where[CELL][0] == "page 0"


def test_every_output_is_listed_once_and_donors_get_reports_only() -> None:
    from amparo.disclosure.gather.outputs import DONOR_OUTPUTS, READER_OUTPUTS

    assert set(DONOR_OUTPUTS) == {"report-xlsx", "report-pdf"}
    assert set(DONOR_OUTPUTS) <= set(READER_OUTPUTS)
    assert len(READER_OUTPUTS) == 10
    assert all(callable(collect) for collect in READER_OUTPUTS.values())
