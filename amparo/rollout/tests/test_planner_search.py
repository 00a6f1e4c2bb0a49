"""The planner's starting schedules, without a database: greedy schedules, the local search
over team orders, and the start windows the solver and the bound share."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.rollout import planner_search
from amparo.rollout.planner import (
    PlanInput,
    RegionInput,
    StageInput,
    TeamInput,
    earliest_starts,
    finish_of,
    violations,
)
from amparo.rollout.planner_bound import latest_starts
from amparo.rollout.planner_greedy import GreedyInstance, GreedyWeights, greedy_schedule
from amparo.rollout.planner_search import improve, orders_of, search_until, timed
from amparo.rollout.tests.test_planner import START, exhaustive_finish, plans


def three_regions_one_team() -> PlanInput:
    # Starting where it can start first sends the team to the far region C too early.
    return PlanInput(
        START,
        (
            RegionInput("A", START + timedelta(days=3)),
            RegionInput("B", START),
            RegionInput("C", START + timedelta(days=3)),
        ),
        (StageInput("m", 2), StageInput("c", 2, ("m",), 2)),
        (TeamInput("x", frozenset({"m", "c"})),),
        {"A": {"B": 0, "C": 5}, "B": {"C": 1}},
    )


def test_the_local_search_repairs_a_mistake_of_the_greedy_schedule() -> None:
    plan = three_regions_one_team()
    instance = GreedyInstance.of(plan)
    greedy = greedy_schedule(instance)
    optimum = exhaustive_finish(plan)
    assert finish_of(greedy) - START == timedelta(days=20)
    assert optimum - START == timedelta(days=18)
    better = improve(instance, greedy, seconds=2.0)
    assert finish_of(better) == optimum
    assert violations(plan, better) == []


def test_team_orders_that_contradict_a_region_chain_have_no_schedule() -> None:
    plan = PlanInput(
        START,
        (RegionInput("A", START),),
        (StageInput("m", 1), StageInput("c", 1, ("m",), 3)),
        (TeamInput("x", frozenset({"m", "c"})),),
    )
    instance = GreedyInstance.of(plan)
    meeting, conference = instance.tasks.index(("A", "m")), instance.tasks.index(("A", "c"))
    assert timed(instance, [[conference, meeting]]) is None
    timing = timed(instance, [[meeting, conference]])
    assert timing is not None and timing.finish == 1 + 3 + 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.floats(0, 2), st.floats(0, 2), st.integers(0, 3))
def test_greedy_and_improved_schedules_keep_every_rule(
    plan: PlanInput, tail: float, travel: float, seed: int
) -> None:
    instance = GreedyInstance.of(plan)
    greedy = greedy_schedule(instance, GreedyWeights(tail=tail, travel=travel))
    assert violations(plan, greedy) == []
    better = improve(instance, greedy, seconds=0.3, seed=seed)
    assert violations(plan, better) == []
    assert finish_of(better) <= finish_of(greedy)
    # The orders of a valid schedule always have one, never later than the schedule.
    timing = timed(instance, orders_of(instance, greedy))
    assert timing is not None
    assert START + timedelta(days=timing.finish) <= finish_of(greedy)


@st.composite
def plans_with_stages_done(draw) -> PlanInput:
    plan = draw(plans())
    codes = [s.code for s in plan.stages]
    regions = tuple(
        replace(r, done=tuple(draw(st.sets(st.sampled_from(codes), max_size=len(codes) - 1))))
        for r in plan.regions
    )
    return replace(plan, regions=regions)


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


def test_small_plans_are_answered_without_waiting_for_the_time_limit() -> None:
    plan = three_regions_one_team()
    began = time.time()
    events = search_until(GreedyInstance.of(plan), began + 60, greedy_seconds=0.05, seed=0)
    assert time.time() - began < 30  # one settled search, no new starts
    assert violations(plan, events) == []


def test_large_plans_start_again_from_new_greedy_schedules_while_time_is_left(
    monkeypatch,
) -> None:
    monkeypatch.setattr(planner_search, "RESTART_FROM_EVENTS", 0)  # treat this plan as large
    seeds: list[int] = []
    greedy = planner_search.best_greedy_schedule

    def counted(g, seconds, *, seed):
        seeds.append(seed)
        return greedy(g, seconds, seed=seed)

    monkeypatch.setattr(planner_search, "best_greedy_schedule", counted)
    plan = three_regions_one_team()
    events = search_until(GreedyInstance.of(plan), time.time() + 1.0, greedy_seconds=0.05, seed=7)
    assert len(seeds) >= 2 and len(set(seeds)) == len(seeds) and seeds[0] == 7
    assert violations(plan, events) == []
    assert finish_of(events) - START == timedelta(days=18)  # the optimum, by exhaustive search


def test_no_new_start_once_the_floor_is_reached(monkeypatch) -> None:
    monkeypatch.setattr(planner_search, "RESTART_FROM_EVENTS", 0)
    plan = three_regions_one_team()
    began = time.time()
    events = search_until(
        GreedyInstance.of(plan), began + 60, greedy_seconds=0.05, seed=0, floor=18
    )
    assert finish_of(events) - START == timedelta(days=18)
    assert time.time() - began < 30
