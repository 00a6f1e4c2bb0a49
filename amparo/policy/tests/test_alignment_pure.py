"""The alignment rules, without a database: what serves an entry, and when it is covered."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from amparo.policy.alignment import (
    Coverage,
    Entry,
    MeasureFact,
    State,
    alignment,
    lineage,
    regional,
    state_of,
    totals,
)

OP1 = Entry(1, "objective", None, "")
L11 = Entry(2, "guideline", 1, "")
S1 = Entry(3, "service", 2, "recipient")
S2 = Entry(4, "service", 2, "none")
S5 = Entry(5, "service", None, "")
E1 = Entry(6, "axis", None, "")
ENTRIES = [OP1, L11, S1, S2, S5, E1]
STATUSES = ["proposed", "drafting", "approved", "implemented", "verified", "dropped"]


def _by_id(rows: list[Coverage]) -> dict[int, Coverage]:
    return {row.entry_id: row for row in rows}


def test_a_measure_serving_a_service_serves_its_guideline_and_objective() -> None:
    rows = _by_id(alignment(ENTRIES, [MeasureFact(10, "implemented", frozenset({3}))]))
    assert rows[3] == Coverage(3, State.COVERED, (10,))
    assert rows[2].state is State.COVERED and rows[1].state is State.COVERED
    assert rows[6] == Coverage(6, State.NOT_COVERED, ())


def test_services_regional_governments_take_no_part_in_or_unknown_are_left_out() -> None:
    shown = {row.entry_id for row in alignment(ENTRIES, [])}
    assert shown == {1, 2, 3, 6}
    assert not regional(S2) and not regional(S5) and regional(E1)


def test_measures_in_progress_and_dropped() -> None:
    measures = [
        MeasureFact(10, "drafting", frozenset({2})),
        MeasureFact(11, "verified", frozenset({6})),
        MeasureFact(12, "dropped", frozenset({1})),
    ]
    rows = _by_id(alignment(ENTRIES, measures))
    assert rows[2] == Coverage(2, State.IN_PROGRESS, (10,))
    assert rows[1] == Coverage(1, State.IN_PROGRESS, (10,))  # the dropped one does not count
    assert rows[6].state is State.COVERED
    assert rows[3].state is State.NOT_COVERED  # a guideline's measure does not serve services
    assert totals(rows.values()) == {
        State.COVERED: 1,
        State.IN_PROGRESS: 2,
        State.NOT_COVERED: 1,
    }


def test_a_measure_tagged_twice_on_one_line_is_listed_once() -> None:
    rows = _by_id(alignment(ENTRIES, [MeasureFact(10, "approved", frozenset({1, 2, 3}))]))
    assert rows[1].measure_ids == (10,)


def test_lineage_stops_at_missing_parents_and_cycles() -> None:
    looped = [
        Entry(1, "guideline", 2, ""),
        Entry(2, "objective", 1, ""),
        Entry(3, "service", 9, ""),
    ]
    chains = lineage(looped)
    assert chains == {1: (1, 2), 2: (2, 1), 3: (3,)}


def test_tags_of_entries_not_shown_or_unknown_are_ignored() -> None:
    rows = alignment(ENTRIES, [MeasureFact(10, "verified", frozenset({99, 5}))])
    assert all(row.state is State.NOT_COVERED for row in rows)
    # A service not shown still belongs to its guideline: a measure serving it serves that.
    rows = _by_id(alignment(ENTRIES, [MeasureFact(10, "verified", frozenset({4}))]))
    assert 4 not in rows and rows[2].state is State.COVERED


@st.composite
def worlds(draw):
    n = draw(st.integers(1, 12))
    kinds = ["objective", "guideline", "service", "axis"]
    entries = [
        Entry(
            i,
            draw(st.sampled_from(kinds)),
            draw(st.one_of(st.none(), st.integers(0, n - 1))),
            draw(st.sampled_from(["", "recipient", "provider", "none"])),
        )
        for i in range(n)
    ]
    measures = draw(
        st.lists(
            st.builds(
                MeasureFact,
                st.integers(100, 10_000),
                st.sampled_from(STATUSES),
                st.frozensets(st.integers(0, n + 2), max_size=4),
            ),
            max_size=10,
            unique_by=lambda m: m.id,
        )
    )
    return entries, measures


@given(worlds())
def test_states_follow_the_measures_listed(world) -> None:
    entries, measures = world
    status = {m.id: m.status for m in measures}
    for row in alignment(entries, measures):
        assert row.state is state_of(status[m] for m in row.measure_ids)
        assert "dropped" not in {status[m] for m in row.measure_ids}
        assert len(set(row.measure_ids)) == len(row.measure_ids)


@given(worlds())
def test_an_entry_is_served_by_at_least_what_serves_the_entries_below_it(world) -> None:
    entries, measures = world
    rows = {row.entry_id: set(row.measure_ids) for row in alignment(entries, measures)}
    chains = lineage(entries)
    for entry in entries:
        for above in chains[entry.id]:
            if entry.id in rows and above in rows:
                assert rows[entry.id] <= rows[above]


@given(worlds(), st.sampled_from(STATUSES))
def test_adding_a_measure_never_lowers_a_state(world, status) -> None:
    entries, measures = world
    rank = {State.NOT_COVERED: 0, State.IN_PROGRESS: 1, State.COVERED: 2}
    before = {row.entry_id: row.state for row in alignment(entries, measures)}
    extra = MeasureFact(99_999, status, frozenset(e.id for e in entries[:2]))
    after = {row.entry_id: row.state for row in alignment(entries, [*measures, extra])}
    assert before.keys() == after.keys()
    assert all(rank[after[k]] >= rank[before[k]] for k in before)
    assert sum(totals(alignment(entries, measures)).values()) == len(before)
