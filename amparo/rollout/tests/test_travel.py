"""The travel-time suggestion, the cell check and the pasted-block reader (pure)."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from amparo.rollout import travel

LAT = st.floats(min_value=-90, max_value=90, allow_nan=False)
LON = st.floats(min_value=-180, max_value=180, allow_nan=False)
POINT = st.tuples(LAT, LON)
KM = st.floats(min_value=0, max_value=40_000, allow_nan=False)
REGIONS = [("PE-LOR", "Loreto"), ("PE-UCA", "Ucayali"), ("PE-SAM", "San Martín")]
IQUITOS, PUCALLPA = (-3.73333, -73.25), (-8.38333, -74.55)


def test_distance_between_iquitos_and_pucallpa_is_about_540_km() -> None:
    assert travel.great_circle_km(IQUITOS, PUCALLPA) == pytest.approx(538, abs=5)


def test_a_quarter_of_the_equator_is_a_quarter_of_the_circumference() -> None:
    quarter = travel.great_circle_km((0, 0), (0, 90))
    assert quarter == pytest.approx(2 * 3.141592653589793 * travel.EARTH_RADIUS_KM / 4)


@given(POINT, POINT)
def test_distance_is_symmetric_and_never_negative(a, b) -> None:
    assert travel.great_circle_km(a, b) == pytest.approx(travel.great_circle_km(b, a), abs=1e-6)
    assert 0 <= travel.great_circle_km(a, b) <= 20_016


@given(POINT)
def test_a_point_is_no_distance_from_itself(a) -> None:
    assert travel.great_circle_km(a, a) == pytest.approx(0, abs=1e-6)


@given(POINT, POINT)
def test_suggestion_is_symmetric_and_within_the_allowed_days(a, b) -> None:
    days = travel.suggestion(a, b)
    assert days == travel.suggestion(b, a)
    assert travel.MIN_DAYS <= days <= travel.MAX_DAYS


@given(KM, KM)
def test_suggestion_grows_with_distance(km1, km2) -> None:
    near, far = sorted((km1, km2))
    assert travel.suggested_days(near) <= travel.suggested_days(far)


@given(KM)
def test_suggestion_is_a_whole_number_of_days_from_one_to_sixty(km) -> None:
    days = travel.suggested_days(km)
    assert isinstance(days, int)
    assert 1 <= days <= travel.MAX_DAYS


def test_suggestion_formula() -> None:
    speed = travel.SUGGESTION_KM_PER_DAY
    assert travel.suggested_days(0) == 1
    assert travel.suggested_days(speed) == 2
    assert travel.suggested_days(speed * 10) == 11
    assert travel.suggested_days(40_000) == travel.MAX_DAYS
    assert travel.suggestion(IQUITOS, PUCALLPA) == 3


def test_no_suggestion_without_coordinates() -> None:
    assert travel.suggestion(IQUITOS, None) is None
    assert travel.suggestion(None, None) is None


@pytest.mark.parametrize("text,days", [("0", 0), (" 7 ", 7), ("60", 60), ("12.0", 12)])
def test_whole_days_from_zero_to_sixty_are_accepted(text, days) -> None:
    assert travel.check_days(text) == days


@pytest.mark.parametrize("text", ["-1", "61", "4.5", "tres", "", "1e3", "٣"])
def test_other_values_are_refused_with_a_message(text) -> None:
    with pytest.raises(ValueError) as error:
        travel.check_days(text)
    assert str(error.value)


@given(st.integers(min_value=0, max_value=60))
def test_every_allowed_value_reads_back(days) -> None:
    assert travel.check_days(str(days)) == days


@given(st.integers().filter(lambda n: n < 0 or n > 60))
def test_every_value_out_of_range_is_refused(days) -> None:
    with pytest.raises(ValueError):
        travel.check_days(str(days))


def test_a_block_with_both_headers_by_name() -> None:
    text = "\tLoreto\tUcayali\tSan Martín\nLoreto\t0\t3\t4\nUcayali\t3\t0\t\nSan Martín\t5\t\t0\n"
    pasted = travel.parse_pasted_matrix(text, REGIONS)
    assert pasted.errors == []
    assert pasted.cells == {
        ("PE-LOR", "PE-UCA"): "3",
        ("PE-LOR", "PE-SAM"): "4",
        ("PE-UCA", "PE-LOR"): "3",
        ("PE-SAM", "PE-LOR"): "5",
    }


def test_a_block_without_headers_follows_the_matrix_order() -> None:
    pasted = travel.parse_pasted_matrix("0,3,4\n3,0,2\n4,2,0", REGIONS)
    assert pasted.errors == []
    assert pasted.cells[("PE-UCA", "PE-SAM")] == "2"
    assert len(pasted.cells) == 6


def test_a_block_with_a_header_row_of_codes_only() -> None:
    pasted = travel.parse_pasted_matrix("UCA;LOR\n1;2\n3;4", REGIONS)
    # rows follow the matrix order (Loreto, Ucayali), columns the header
    assert pasted.cells == {("PE-LOR", "PE-UCA"): "1", ("PE-UCA", "PE-LOR"): "4"}


def test_a_block_with_a_header_column_only() -> None:
    pasted = travel.parse_pasted_matrix("PE-UCA\t3\t0\t2\nPE-LOR\t0\t3\t4", REGIONS)
    assert pasted.cells[("PE-UCA", "PE-LOR")] == "3"
    assert pasted.cells[("PE-UCA", "PE-SAM")] == "2"
    assert pasted.cells[("PE-LOR", "PE-SAM")] == "4"


def test_bad_values_are_kept_as_text_for_the_cell_check() -> None:
    pasted = travel.parse_pasted_matrix("0\tx\n-2\t0", REGIONS[:2])
    assert pasted.cells == {("PE-LOR", "PE-UCA"): "x", ("PE-UCA", "PE-LOR"): "-2"}


@translation.override("en")
def test_too_many_rows_or_cells_are_named() -> None:
    pasted = travel.parse_pasted_matrix("0\t1\n1\t0\n2\t2", REGIONS[:2])
    assert any("more rows" in e for e in pasted.errors)
    pasted = travel.parse_pasted_matrix("0\t1\t9\n1\t0", REGIONS[:2])
    assert any("more cells" in e for e in pasted.errors)


def test_an_empty_block_fills_nothing() -> None:
    assert travel.parse_pasted_matrix(" \n\n", REGIONS) == travel.Pasted()


@given(
    st.dictionaries(
        st.tuples(st.sampled_from(REGIONS), st.sampled_from(REGIONS)).filter(
            lambda p: p[0] != p[1]
        ),
        st.integers(min_value=0, max_value=60),
    ),
    st.booleans(),
    st.sampled_from(["\t", ";", ","]),
    st.booleans(),
)
def test_a_matrix_written_out_reads_back(values, headers, delimiter, by_name) -> None:
    """Whatever matrix a spreadsheet holds, copied with or without headers and with any
    delimiter, the parser reads back the same cells."""
    codes = [c for c, _n in REGIONS]
    label = {c: (n if by_name else c) for c, n in REGIONS}
    cells = {(a[0], b[0]): d for (a, b), d in values.items()}
    lines = []
    if headers:
        lines.append(delimiter.join(["", *(label[c] for c in codes)]))
    for a in codes:
        row = [str(cells[(a, b)]) if (a, b) in cells else "" for b in codes]
        lines.append(delimiter.join(([label[a]] if headers else []) + row))
    pasted = travel.parse_pasted_matrix("\n".join(lines), REGIONS)
    assert pasted.errors == []
    assert {k: int(v) for k, v in pasted.cells.items()} == cells


def test_check_matrix_fills_the_other_way_when_the_same_both_ways() -> None:
    checked = travel.check_matrix(
        {("A", "B"): "3", ("B", "A"): "", ("A", "C"): "2"}, same_both_ways=True, labels={}
    )
    assert checked.errors == {}
    assert checked.days == {("A", "B"): 3, ("B", "A"): 3, ("A", "C"): 2, ("C", "A"): 2}


def test_check_matrix_keeps_each_way_when_told_so() -> None:
    checked = travel.check_matrix(
        {("A", "B"): "3", ("B", "A"): "5"}, same_both_ways=False, labels={}
    )
    assert checked.days == {("A", "B"): 3, ("B", "A"): 5}


@translation.override("en")
def test_check_matrix_names_two_different_ways_when_they_must_match() -> None:
    checked = travel.check_matrix(
        {("A", "B"): "3", ("B", "A"): "5"},
        same_both_ways=True,
        labels={"A": "Loreto", "B": "Ucayali"},
    )
    assert set(checked.errors) == {("A", "B"), ("B", "A")}
    assert "Loreto" in checked.errors[("A", "B")]


def test_check_matrix_names_each_bad_cell() -> None:
    checked = travel.check_matrix(
        {("A", "B"): "61", ("A", "C"): "dos", ("B", "C"): "4"}, same_both_ways=True, labels={}
    )
    assert set(checked.errors) == {("A", "B"), ("A", "C")}
    assert ("B", "A") not in checked.days  # not completed from a bad cell


@given(
    st.dictionaries(
        st.tuples(st.sampled_from("ABCD"), st.sampled_from("ABCD")),
        st.integers(min_value=0, max_value=60).map(str),
    )
)
def test_symmetric_check_gives_a_symmetric_matrix_or_errors(cells) -> None:
    checked = travel.check_matrix(cells, same_both_ways=True, labels={})
    if not checked.errors:
        assert all(checked.days[(b, a)] == d for (a, b), d in checked.days.items())
        assert all(a != b for a, b in checked.days)


def test_missing_pairs_are_those_with_no_time_either_way() -> None:
    days = {("A", "B"): 2, ("C", "A"): 1}
    assert travel.missing_pairs(["A", "B", "C"], days) == [("B", "C")]
    assert travel.missing_pairs(["A"], {}) == []


SUGGESTIONS = {("PE-LOR", "PE-UCA"): 3, ("PE-UCA", "PE-LOR"): 3, ("PE-LOR", "PE-SAM"): 5,
               ("PE-SAM", "PE-LOR"): 5}  # fmt: skip


def test_the_editor_fills_a_pasted_block_and_checks_it() -> None:
    editor = travel.editor_fill(
        "paste",
        cells={("PE-UCA", "PE-SAM"): "2"},
        same_both_ways=False,
        paste="0\t4\t61\n",
        suggestions={},
        regions=REGIONS,
    )
    assert editor.cells == {("PE-UCA", "PE-SAM"): "2", ("PE-LOR", "PE-UCA"): "4",
                            ("PE-LOR", "PE-SAM"): "61"}  # fmt: skip
    assert set(editor.errors) == {("PE-LOR", "PE-SAM")}
    assert editor.paste == "" and len(editor.notes) == 1


def test_a_block_that_cannot_be_read_is_kept_to_fix_and_the_grid_left_alone() -> None:
    editor = travel.editor_fill(
        "paste",
        cells={("PE-LOR", "PE-UCA"): "1"},
        same_both_ways=True,
        paste="1\n2\n3\n4",
        suggestions={},
        regions=REGIONS,
    )
    assert editor.cells == {("PE-LOR", "PE-UCA"): "1"}
    assert editor.paste == "1\n2\n3\n4" and editor.notes


def test_the_editor_fills_only_pairs_empty_both_ways_with_suggestions() -> None:
    editor = travel.editor_fill(
        "suggest",
        cells={("PE-SAM", "PE-LOR"): "9", ("PE-LOR", "PE-SAM"): ""},
        same_both_ways=True,
        paste="",
        suggestions=SUGGESTIONS,
        regions=REGIONS,
    )
    assert editor.cells[("PE-LOR", "PE-UCA")] == "3"
    assert not editor.cells.get(("PE-UCA", "PE-LOR"))  # the save mirrors it
    assert editor.cells[("PE-SAM", "PE-LOR")] == "9"
    assert not editor.cells.get(("PE-LOR", "PE-SAM"))  # its pair was filled the other way


def test_the_editor_fills_both_ways_when_told_they_differ() -> None:
    editor = travel.editor_fill(
        "suggest", cells={}, same_both_ways=False, paste="", suggestions=SUGGESTIONS,
        regions=REGIONS,
    )  # fmt: skip
    assert editor.cells == {pair: str(days) for pair, days in SUGGESTIONS.items()}


def test_using_one_suggestion_sets_its_cell_and_mirror() -> None:
    editor = travel.editor_fill(
        "use:PE-LOR:PE-SAM", cells={("PE-SAM", "PE-LOR"): "9"}, same_both_ways=True, paste="",
        suggestions=SUGGESTIONS, regions=REGIONS,
    )  # fmt: skip
    assert editor.cells == {("PE-LOR", "PE-SAM"): "5", ("PE-SAM", "PE-LOR"): "5"}
    editor = travel.editor_fill(
        "use:PE-LOR:PE-SAM", cells={("PE-SAM", "PE-LOR"): "9"}, same_both_ways=False,
        paste="", suggestions=SUGGESTIONS, regions=REGIONS,
    )  # fmt: skip
    assert editor.cells == {("PE-LOR", "PE-SAM"): "5", ("PE-SAM", "PE-LOR"): "9"}


def test_using_a_suggestion_that_does_not_exist_changes_nothing() -> None:
    editor = travel.editor_fill(
        "use:PE-LOR:PE-XX", cells={}, same_both_ways=True, paste="", suggestions=SUGGESTIONS,
        regions=REGIONS,
    )  # fmt: skip
    assert editor.cells == {}


def test_a_refused_save_shows_every_cell_with_its_problem() -> None:
    cells = {("PE-LOR", "PE-UCA"): "3", ("PE-UCA", "PE-LOR"): "4", ("PE-LOR", "PE-SAM"): "x"}
    editor = travel.editor_refused(cells, same_both_ways=True, regions=REGIONS)
    assert editor.cells == cells
    assert set(editor.errors) == set(cells)
    assert len(editor.notes) == 1
