"""The pure rules of where a rollout stands (no database)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from amparo.rollout.progress import (
    DONE,
    NOT_STARTED,
    PLANNED,
    EventSpec,
    Problem,
    StageSpec,
    broken_dependents,
    capacity_warnings,
    earliest_after,
    prerequisite_problems,
    stage_reached,
    stage_states,
)

MEETING = StageSpec("meeting", 1)
CONFERENCE = StageSpec("conference", 2, ("meeting",), 21)
TRAINING = StageSpec("training", 3, ("conference",), 30)
STAGES = [TRAINING, MEETING, CONFERENCE]
D = date(2027, 1, 4)


def test_a_stage_may_start_the_day_after_its_prerequisite_plus_the_gap() -> None:
    assert earliest_after(date(2027, 1, 5), 0) == date(2027, 1, 6)
    assert earliest_after(date(2027, 1, 5), 21) == date(2027, 1, 27)


def test_it_refuses_a_stage_whose_prerequisite_has_no_event() -> None:
    assert prerequisite_problems(CONFERENCE, D, [], require_done=False) == [
        Problem("meeting", "missing")
    ]


def test_it_allows_planning_after_a_planned_prerequisite_with_the_gap() -> None:
    meeting = EventSpec("meeting", PLANNED, D, D + timedelta(days=1))
    ok_day = earliest_after(meeting.end, 21)
    assert prerequisite_problems(CONFERENCE, ok_day, [meeting], require_done=False) == []
    too_soon = prerequisite_problems(CONFERENCE, ok_day - timedelta(days=1), [meeting],
                                     require_done=False)  # fmt: skip
    assert too_soon == [Problem("meeting", "too_soon", ok_day)]


def test_completing_needs_the_prerequisite_done() -> None:
    meeting = EventSpec("meeting", PLANNED, D, D)
    later = D + timedelta(days=60)
    assert prerequisite_problems(CONFERENCE, later, [meeting], require_done=True) == [
        Problem("meeting", "not_done")
    ]
    done = EventSpec("meeting", DONE, D, D)
    assert prerequisite_problems(CONFERENCE, later, [done], require_done=True) == []


def test_cancelled_events_do_not_count() -> None:
    cancelled = EventSpec("meeting", "cancelled", D, D)
    assert prerequisite_problems(CONFERENCE, D + timedelta(days=90), [cancelled],
                                 require_done=False) == [Problem("meeting", "missing")]  # fmt: skip


def test_states_follow_the_playbook_order_and_name_what_blocks() -> None:
    events = [
        EventSpec("meeting", DONE, D, D + timedelta(days=1)),
        EventSpec("conference", PLANNED, D + timedelta(days=30), D + timedelta(days=32)),
    ]
    states = stage_states(STAGES, events)
    assert [s.code for s in states] == ["meeting", "conference", "training"]
    assert [s.state for s in states] == [DONE, PLANNED, NOT_STARTED]
    assert states[1].waiting_for == []
    assert states[2].waiting_for == ["conference"]
    assert states[2].earliest_start == D + timedelta(days=32 + 1 + 30)
    assert states[0].first_day == D and states[0].last_day == D + timedelta(days=1)
    assert stage_reached(states) == "meeting"


def test_nothing_is_reached_before_the_first_stage_is_done() -> None:
    assert stage_reached(stage_states(STAGES, [])) is None
    assert stage_states(STAGES, [])[1].earliest_start is None


def test_capacity_is_only_a_warning_above_the_limit() -> None:
    assert capacity_warnings(max_pastors=50, max_churches=50, pastors=50, churches=50) == []
    over = capacity_warnings(max_pastors=50, max_churches=50, pastors=51, churches=52)
    assert [(w.what, w.limit, w.actual) for w in over] == [
        ("pastors", 50, 51),
        ("churches", 50, 52),
    ]
    assert capacity_warnings(max_pastors=None, max_churches=None, pastors=999, churches=9) == []


events_strategy = st.lists(
    st.builds(
        lambda stage, status, offset, length: EventSpec(
            stage, status, D + timedelta(days=offset), D + timedelta(days=offset + length)
        ),
        st.sampled_from(["meeting", "conference", "training"]),
        st.sampled_from([PLANNED, DONE, "cancelled"]),
        st.integers(0, 200),
        st.integers(0, 5),
    ),
    max_size=8,
)


@given(events_strategy, st.integers(0, 300), st.booleans())
def test_an_allowed_start_always_respects_every_prerequisite(events, offset, require_done) -> None:
    start = D + timedelta(days=offset)
    problems = prerequisite_problems(TRAINING, start, events, require_done=require_done)
    allowed_statuses = {DONE} if require_done else {DONE, PLANNED}
    satisfied = any(
        e.stage == "conference"
        and e.status in allowed_statuses
        and earliest_after(e.end, TRAINING.min_gap_days) <= start
        for e in events
    )
    assert (problems == []) == satisfied


@given(events_strategy)
def test_states_are_consistent_with_the_events(events) -> None:
    for state in stage_states(STAGES, events):
        mine = [e for e in events if e.stage == state.code and e.status != "cancelled"]
        if any(e.status == DONE for e in mine):
            assert state.state == DONE and state.waiting_for == []
        elif mine:
            assert state.state == PLANNED
        else:
            assert state.state == NOT_STARTED and state.first_day is None


SPECS = {s.code: s for s in STAGES}


def test_a_change_breaks_the_later_events_that_relied_on_it() -> None:
    meeting = EventSpec("meeting", DONE, D, D)
    conference = EventSpec("conference", DONE, D + timedelta(days=30), D + timedelta(days=32))
    moved = EventSpec("meeting", DONE, D + timedelta(days=20), D + timedelta(days=20))
    assert broken_dependents(SPECS, [conference], before=meeting, after=moved) == [
        (0, Problem("meeting", "too_soon", D + timedelta(days=42)))
    ]
    assert broken_dependents(SPECS, [conference], before=meeting, after=None) == [
        (0, Problem("meeting", "missing"))
    ]
    planned = EventSpec("meeting", PLANNED, D, D)
    assert broken_dependents(SPECS, [conference], before=meeting, after=planned) == [
        (0, Problem("meeting", "not_done"))
    ]
    earlier = EventSpec("meeting", DONE, D - timedelta(days=3), D - timedelta(days=3))
    assert broken_dependents(SPECS, [conference], before=meeting, after=earlier) == []


def test_a_problem_a_later_event_already_had_is_not_the_changes_doing() -> None:
    meeting = EventSpec("meeting", PLANNED, D, D)
    too_early = EventSpec("conference", PLANNED, D + timedelta(days=3), D + timedelta(days=5))
    moved = EventSpec("meeting", PLANNED, D + timedelta(days=1), D + timedelta(days=1))
    cancelled = EventSpec("conference", "cancelled", D - timedelta(days=9), D)
    assert broken_dependents(SPECS, [too_early], before=meeting, after=moved) == []
    assert broken_dependents(SPECS, [cancelled], before=meeting, after=None) == []
