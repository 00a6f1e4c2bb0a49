"""The schedule's rules, without a database or a solver: ``violations`` catches every
broken rule, the event windows hold every valid schedule, and the sequential baseline."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from amparo.rollout.planner import (
    PlanInput,
    PlannedEvent,
    RegionInput,
    StageInput,
    TeamInput,
    critical_path_finish,
    earliest_starts,
    finish_of,
    first_free_day,
    is_metric,
    latest_starts,
    merged_blackouts,
    sequential_schedule,
    stage_tails,
    tasks_of,
    violations,
)
from amparo.rollout.planner.greedy import GreedyInstance, greedy_schedule
from amparo.rollout.tests.planner_cases import START, plans_with_stages_done


def _day(n: int) -> date:
    return START + timedelta(days=n)


# Two regions two days apart, a one-day meeting then after 3 days a two-day conference,
# one team for everything and a second for conferences; Loreto is closed on days 10-12.
PLAN = PlanInput(
    START,
    (RegionInput("LOR", START, ((_day(10), _day(12)),)), RegionInput("UCA", _day(1))),
    (StageInput("m", 1), StageInput("c", 2, ("m",), 3)),
    (TeamInput("x", frozenset({"m", "c"})), TeamInput("y", frozenset({"c"}))),
    {"LOR": {"UCA": 2}},
)
VALID = [
    PlannedEvent("LOR", "m", "x", _day(0), _day(1)),
    PlannedEvent("UCA", "m", "x", _day(3), _day(4)),  # 1 + 2 days of travel
    PlannedEvent("LOR", "c", "y", _day(4), _day(6)),  # 1 + 3 days of gap
    PlannedEvent("UCA", "c", "x", _day(7), _day(9)),
]


def _with(index: int, **change) -> list[PlannedEvent]:
    events = list(VALID)
    events[index] = replace(events[index], **change)
    return events


def test_a_valid_schedule_breaks_no_rule() -> None:
    assert violations(PLAN, VALID) == []


@pytest.mark.parametrize(
    ("events", "problem"),
    [
        (VALID[:3], "do not cover each remaining (region, stage) exactly once"),
        ([*VALID, VALID[0]], "do not cover each remaining (region, stage) exactly once"),
        (_with(0, team="z"), "unknown region, stage or team"),
        (_with(0, end=_day(2)), "lasts 2 days, not 1"),
        (_with(1, start=_day(0), end=_day(1), team="y"), "starts before the region's earliest"),
        (_with(0, team="y"), "team y cannot deliver m"),
        (_with(2, start=_day(9), end=_day(11)), "overlaps a blackout"),
        (_with(2, start=_day(3), end=_day(5)), "starts too soon after m"),
        (_with(1, start=_day(2), end=_day(3)), "leave no time to travel"),
    ],
)
def test_each_broken_rule_is_named(events, problem) -> None:
    assert any(problem in found for found in violations(PLAN, events))


def test_done_stages_need_no_event_and_hold_nothing_back() -> None:
    plan = replace(PLAN, regions=(replace(PLAN.regions[0], done=("m",)), PLAN.regions[1]))
    events = [e for e in VALID if (e.region, e.stage) != ("LOR", "m")]
    events[1] = replace(events[1], start=_day(0), end=_day(2))  # no meeting to wait for
    assert violations(plan, events) == []
    assert ("LOR", "m") not in {(r, s.code) for r, s in tasks_of(plan)}


def test_blackouts_merge_when_they_overlap_or_touch() -> None:
    blackouts = [(_day(10), _day(12)), (_day(0), _day(3)), (_day(4), _day(5)), (_day(11), _day(20))]
    assert merged_blackouts(blackouts) == [(_day(0), _day(5)), (_day(10), _day(20))]


def test_the_first_free_day_clears_every_blackout_even_one_after_another() -> None:
    region = RegionInput("A", START, ((_day(5), _day(6)), (_day(2), _day(3))))
    assert first_free_day(region, _day(0), 2) == _day(0)
    assert first_free_day(region, _day(1), 2) == _day(7)  # days 1-2 hit the first, 4-5 the next
    assert first_free_day(region, _day(4), 1) == _day(4)


def test_windows_follow_the_regions_chain_at_both_ends() -> None:
    assert earliest_starts(PLAN) == {
        ("LOR", "m"): _day(0), ("LOR", "c"): _day(4),
        ("UCA", "m"): _day(1), ("UCA", "c"): _day(5),
    }  # fmt: skip
    # To end by day 14 Loreto's conference must start by day 12, which its blackout (days
    # 10-12) pushes back to day 8; the meeting then starts by 8 - 3 - 1 = 4.
    assert latest_starts(PLAN, 14) == {
        ("LOR", "c"): 8, ("LOR", "m"): 4, ("UCA", "c"): 12, ("UCA", "m"): 8,
    }  # fmt: skip
    assert critical_path_finish(PLAN) == _day(7)  # Ucayali: 1 + 1 + 3 + 2


def test_the_last_start_leaves_room_for_the_later_stages_and_their_blackouts() -> None:
    plan = PlanInput(
        START,
        (RegionInput("A", START, ((START + timedelta(days=20), START + timedelta(days=24)),)),),
        (StageInput("m", 2), StageInput("c", 3, ("m",), 5)),
        (TeamInput("x", frozenset({"m", "c"})),),
    )
    # To end by day 25 the conference must start by day 22, which the blackout (days 20
    # to 24) pushes back to day 17; the meeting then starts by 17 - 5 - 2 = 10.
    assert latest_starts(plan, 25) == {("A", "c"): 17, ("A", "m"): 10}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_with_stages_done())
def test_every_event_of_a_valid_schedule_lies_within_its_window(plan: PlanInput) -> None:
    # The solver's start domains and the bound's candidate days come from these windows,
    # so a window that shut out a valid start would cut off real schedules.
    events = greedy_schedule(GreedyInstance.of(plan))
    finish = (finish_of(events) - START).days
    first, last = earliest_starts(plan), latest_starts(plan, finish)
    for e in events:
        assert first[(e.region, e.stage)] <= e.start
        assert (e.start - START).days <= last[(e.region, e.stage)]


def test_the_tail_of_a_stage_is_the_longest_chain_after_it() -> None:
    plan = replace(PLAN, stages=(*PLAN.stages, StageInput("t", 5, ("m",), 1)))
    # After the meeting: the conference (3 + 2) or the training (1 + 5), the longer.
    assert stage_tails(plan) == {"m": 1 + 6, "c": 2, "t": 5}


def test_the_sequential_baseline_does_one_region_after_another() -> None:
    events = sequential_schedule(PLAN)
    assert [(e.region, e.stage) for e in events] == [
        ("LOR", "m"), ("LOR", "c"), ("UCA", "m"), ("UCA", "c"),
    ]  # fmt: skip
    assert {e.team for e in events} == {"x"}  # the first team able to deliver each stage
    assert violations(PLAN, events) == []
    # Loreto's conference ends on day 6, then 2 days of travel: Ucayali's meeting on day 8.
    assert events[2].start == _day(8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_with_stages_done())
def test_the_sequential_baseline_keeps_every_rule(plan: PlanInput) -> None:
    events = sequential_schedule(plan)
    assert violations(plan, events) == []
    assert critical_path_finish(plan) <= (finish_of(events) or START)


def test_travel_is_metric_when_no_detour_is_faster() -> None:
    codes = ("A", "B", "C")
    plan = replace(PLAN, regions=tuple(RegionInput(c, START) for c in codes))
    assert is_metric(replace(plan, travel_days={"A": {"B": 1, "C": 2}, "B": {"C": 1}}))
    assert not is_metric(replace(plan, travel_days={"A": {"B": 1, "C": 9}, "B": {"C": 1}}))
