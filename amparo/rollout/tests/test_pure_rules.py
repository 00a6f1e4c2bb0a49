"""Pure rules of the church track checked against the obvious, slow answer: the attendance
table viewers see (hidden by the disclosure protection), blackout lines of the planner
form and the delay percentiles."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.disclosure.model import Table
from amparo.disclosure.track import COLUMNS, AttendanceRow, TrackFacts, event_cell, track_table
from amparo.disclosure.worker_protection import protect_cells
from amparo.rollout.attendance_table import MARKER, shown_table, shown_warnings
from amparo.rollout.delays import DelayModel, simulate_delays, simulate_finish
from amparo.rollout.planner import PlanInput, RegionInput, StageInput, TeamInput, plan_rollout
from amparo.rollout.planning import blackout_lines, parse_blackout_lines
from amparo.rollout.progress import CapacityWarning

# --- the attendance table ----------------------------------------------------------------

counts = st.integers(0, 12)
tables = st.integers(1, 3).flatmap(
    lambda columns: st.tuples(
        st.just(columns),
        st.lists(st.lists(counts, min_size=columns, max_size=columns), max_size=4),
    )
)


def _shown(rows: list[list[int]], columns: int, k: int = 5):
    """The table as a reader who knows none of it sees it, hidden as amparo's protection
    of the event's cells decides (``amparo.disclosure``)."""
    facts = TrackFacts(
        tuple(
            AttendanceRow("PE-LOR", 1, i, (*row, *[0] * (3 - columns)), None, True)
            for i, row in enumerate(rows)
        ),
        (),
        (),
        (),
    )
    values, constraints = track_table(facts, {})
    hidden = protect_cells(Table(values, tuple(constraints)), k=k)

    def is_hidden(i: int | None, column: int) -> bool:
        return event_cell("PE-LOR", 1, COLUMNS[column], "" if i is None else i) in hidden

    return shown_table(rows, columns=columns, hidden=is_hidden)


@settings(max_examples=300, deadline=None)
@given(tables)
def test_a_viewer_cannot_work_a_hidden_count_out_of_a_column(table) -> None:
    columns, rows = table
    shown = _shown(rows, columns)
    for c in range(columns):
        cells = [row[c] for row in shown.rows]
        true = [row[c] for row in rows]
        assert all(s in (MARKER, t) for s, t in zip(cells, true, strict=True))  # true or hidden
        assert [t for s, t in zip(cells, true, strict=True) if 0 < t < 5 and s != MARKER] == []
        if shown.totals[c] != MARKER:
            assert shown.totals[c] == sum(true)
            # With the total shown, a single hidden cell would be the total minus the rest;
            # two or more share what is left, each anywhere from 0 to all of it.
            assert cells.count(MARKER) != 1


@settings(max_examples=200, deadline=None)
@given(tables)
def test_counts_at_least_k_and_zero_are_shown_when_nothing_small_is_near(table) -> None:
    columns, rows = table
    full = shown_table(rows, columns=columns)
    shown = _shown(rows, columns)
    assert full.rows == [tuple(r) for r in rows]
    assert full.totals == tuple(sum(r[c] for r in rows) for c in range(columns))
    for c in range(columns):
        column = [r[c] for r in rows]
        if not any(1 <= n <= 4 for n in column) and not 1 <= sum(column) <= 4:
            assert [r[c] for r in shown.rows] == column
            assert shown.totals[c] == sum(column)


@pytest.mark.parametrize(
    "pastors_total, expected",
    [(52, [52, 61]), (MARKER, [None, 61])],
)
def test_a_warning_gives_the_pastors_back_only_where_their_total_is_shown(
    pastors_total, expected
) -> None:
    warnings = [CapacityWarning("pastors", 50, 52), CapacityWarning("churches", 50, 61)]
    shown = shown_warnings(warnings, pastors_total)
    assert [w.actual for w in shown] == expected
    assert [(w.what, w.limit) for w in shown] == [("pastors", 50), ("churches", 50)]


# --- blackout lines ----------------------------------------------------------------------

CODES = ["PE-LOR", "PE-UCA", "PE-MDD"]
spans = st.tuples(st.dates(date(2025, 1, 1), date(2030, 12, 31)), st.integers(0, 90)).map(
    lambda p: (p[0], p[0] + timedelta(days=p[1]))
)
blackout_maps = st.dictionaries(
    st.sampled_from(CODES), st.lists(spans, min_size=1, max_size=3), max_size=3
)


@settings(max_examples=200, deadline=None)
@given(blackout_maps)
def test_blackouts_read_back_from_the_lines_they_are_written_as(blackouts) -> None:
    text = blackout_lines(blackouts)
    assert parse_blackout_lines(text, set(CODES)) == blackouts
    assert len([line for line in text.splitlines() if line]) == sum(map(len, blackouts.values()))


def test_blank_lines_and_spaces_are_forgiven() -> None:
    text = "\n  PE-LOR   2027-02-01 2027-02-03  \n\n\tPE-LOR 2027-03-01 2027-03-01\n"
    assert parse_blackout_lines(text, {"PE-LOR"}) == {
        "PE-LOR": [(date(2027, 2, 1), date(2027, 2, 3)), (date(2027, 3, 1), date(2027, 3, 1))]
    }
    assert parse_blackout_lines("", {"PE-LOR"}) == {}


@pytest.mark.parametrize(
    "text, message",
    [
        ("PE-LOR 2027-02-01", "línea 1: escriba REGIÓN PRIMER-DÍA ÚLTIMO-DÍA"),
        ("\nPE-UCA 2027-02-01 2027-02-02", "línea 2: PE-UCA no es una de las regiones elegidas"),
        ("PE-LOR 2027-02-01 2027-02-30", "línea 1: las fechas se escriben YYYY-MM-DD"),
        ("PE-LOR 01/02/2027 2027-02-03", "línea 1: las fechas se escriben YYYY-MM-DD"),
        ("PE-LOR 2027-02-03 2027-02-01", "línea 1: el último día es anterior al primero"),
    ],
)
def test_a_bad_line_is_named_with_its_number_and_problem(text, message) -> None:
    with pytest.raises(ValueError) as refused:
        parse_blackout_lines(text, {"PE-LOR"})
    assert str(refused.value) == message


def test_the_problem_is_named_in_english_for_an_english_reader() -> None:
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValueError) as refused:
        parse_blackout_lines(
            "PE-LOR 2027-02-01 2027-02-01\nPE-MDD 2027-02-01 2027-02-02", {"PE-LOR"}
        )
    assert str(refused.value) == "line 2: PE-MDD is not a chosen region"


# --- delays ------------------------------------------------------------------------------

START = date(2027, 1, 4)
PLAN = PlanInput(
    START,
    (RegionInput("A", START, ((date(2027, 1, 20), date(2027, 1, 25)),)), RegionInput("B", START)),
    (StageInput("m", 2), StageInput("c", 2, ("m",), 3)),
    (TeamInput("x", frozenset({"m", "c"})),),
    {"A": {"B": 1}},
)


@pytest.fixture(scope="module")
def planned():
    return plan_rollout(PLAN).events


def _nearest_rank(days: list[date], fraction: float) -> date:
    ordered = sorted(days)
    for day in ordered:
        if sum(1 for d in ordered if d <= day) >= fraction * len(ordered):
            return day
    raise AssertionError("no day")


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 3), st.integers(0, 3), st.integers(0, 6), st.integers(1, 40), st.integers())
def test_p50_and_p90_are_the_nearest_rank_percentiles_of_the_runs(
    planned, a, b, c, runs, seed
) -> None:
    low, mode, high = sorted((a, b, c))
    outcome = simulate_delays(PLAN, planned, DelayModel(low, mode, high, runs=runs, seed=seed))
    assert len(outcome.finishes) == runs
    assert list(outcome.finishes) == sorted(outcome.finishes)
    assert outcome.p50 == _nearest_rank(list(outcome.finishes), 0.5)
    assert outcome.p90 == _nearest_rank(list(outcome.finishes), 0.9)


def test_a_longer_event_never_brings_the_finish_forward(planned) -> None:
    """Every delay vector up to 3 days per event, exhaustively: adding a day to any one
    event never makes the plan finish earlier."""
    n = len(planned)
    finish = {
        delays: simulate_finish(PLAN, planned, list(delays))
        for delays in itertools.product(range(4), repeat=n)
    }
    for delays, day in finish.items():
        for i in range(n):
            if delays[i] < 3:
                longer = (*delays[:i], delays[i] + 1, *delays[i + 1 :])
                assert finish[longer] >= day, (delays, i)


def test_a_delay_that_runs_into_a_blackout_waits_for_its_end(planned) -> None:
    # A's events are the ones that could meet the blackout of 20-25 January.
    late = [30 if e.region == "A" and e.stage == "c" else 0 for e in planned]
    region_a_conference = next(e for e in planned if e.region == "A" and e.stage == "c")
    finish = simulate_finish(PLAN, planned, late)
    assert finish >= region_a_conference.start + timedelta(days=2 + 30)


@pytest.mark.parametrize("values", [(-1, 0, 0), (0, 2, 1), (0, 0, 0, 0), (0, 0, 0, 20001)])
def test_a_delay_model_is_refused_unless_minimum_most_likely_maximum_and_runs_fit(values) -> None:
    with pytest.raises(ValueError):
        DelayModel(*values)
