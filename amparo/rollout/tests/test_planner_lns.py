"""The large-neighbourhood search (``lns``), without a database: it never breaks a rule,
never makes a schedule worse, reaches known optima on small plans and gives the same
schedule for the same input."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.rollout.planner import (
    PlanInput,
    PlannedEvent,
    RegionInput,
    StageInput,
    TeamInput,
    finish_of,
    is_metric,
    plan_rollout,
    solve,
    violations,
)
from amparo.rollout.planner.greedy import GreedyInstance, greedy_schedule
from amparo.rollout.planner.instances import family_instance
from amparo.rollout.planner.lns import improve_by_lns
from amparo.rollout.planner.rules import sequential_schedule
from amparo.rollout.planner.successors import least_travel
from amparo.rollout.planner.work import Cap
from amparo.rollout.tests.planner_cases import (
    SMALL,
    START,
    exhaustive_finish,
    plans,
    plans_with_stages_done,
)


def _key(plan: PlanInput, events: list[PlannedEvent]) -> tuple[int, int]:
    """What LNS minimises: the finish, then the sum of the regions' finishes (days)."""
    ends: dict[str, int] = {}
    for e in events:
        ends[e.region] = max(ends.get(e.region, 0), (e.end - plan.start).days)
    return max(ends.values(), default=0), sum(ends.values())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans(), seed=st.integers(0, 3), from_greedy=st.booleans())
def test_lns_keeps_every_rule_and_never_makes_a_schedule_worse(
    plan: PlanInput, seed: int, from_greedy: bool
) -> None:
    instance = GreedyInstance.of(plan)
    before = greedy_schedule(instance) if from_greedy else sequential_schedule(plan)
    assert violations(plan, before) == []
    after = improve_by_lns(instance, before, 0.3, seed=seed)
    assert violations(plan, after) == []
    assert _key(plan, after) <= _key(plan, before)


# The small metric plans on which the one-at-a-time schedule is not already the best.
BAD_STARTS = [
    p for p in SMALL if is_metric(p) and finish_of(sequential_schedule(p)) > exhaustive_finish(p)
]


def test_there_are_small_plans_with_a_bad_start_to_repair() -> None:
    assert len(BAD_STARTS) >= 2


@pytest.mark.parametrize("plan", BAD_STARTS)
def test_lns_takes_the_one_at_a_time_schedule_to_the_exhaustive_optimum(plan) -> None:
    instance = GreedyInstance.of(plan)
    bad = sequential_schedule(plan)
    optimum = exhaustive_finish(plan)
    better = improve_by_lns(instance, bad, 1.0, seed=0)
    assert finish_of(better) == optimum
    assert violations(plan, better) == []


def test_lns_improves_a_25_region_greedy_schedule_and_repeats_itself() -> None:
    plan = family_instance(25, "geographic", 1)
    instance = GreedyInstance.of(plan)
    start = greedy_schedule(instance)
    first = improve_by_lns(instance, start, 0.5, seed=3)
    second = improve_by_lns(instance, start, 0.5, seed=3)
    assert first == second  # same input, same seed: the same events in the same order
    assert violations(plan, first) == []
    assert _key(plan, first) < _key(plan, start)


def test_lns_stops_at_once_on_a_schedule_at_the_floor() -> None:
    plan = SMALL[1]
    instance = GreedyInstance.of(plan)
    bad = sequential_schedule(plan)
    floor = (finish_of(bad) - START).days
    assert improve_by_lns(instance, bad, 5.0, floor=floor) == bad


def test_lns_stops_when_asked() -> None:
    plan = family_instance(25, "random", 4)
    instance = GreedyInstance.of(plan)
    start = greedy_schedule(instance)
    asked = []

    def stop() -> bool:
        asked.append(True)
        return True

    assert improve_by_lns(instance, start, 50.0, should_stop=stop) == start
    assert asked


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=9, max_size=9))
def test_shortest_travel_is_never_longer_than_direct_and_is_metric(values) -> None:
    travel = [[0 if a == b else values[a * 3 + b] for b in range(3)] for a in range(3)]
    least = least_travel(travel)
    for a in range(3):
        for b in range(3):
            assert least[a][b] <= travel[a][b]
            for c in range(3):
                assert least[a][c] <= least[a][b] + least[b][c]


def test_shortest_travel_goes_through_a_third_region_when_that_is_faster() -> None:
    assert least_travel([[0, 1, 5], [1, 0, 1], [5, 1, 0]])[0][2] == 2


def test_a_small_plan_with_lns_planned_twice_gives_the_same_events() -> None:
    plan = replace(family_instance(25, "random", 1), time_limit_s=2.0)
    first, second = plan_rollout(plan), plan_rollout(plan)
    assert first.events == second.events
    assert violations(plan, list(first.events)) == []
    assert first.finish - plan.start >= timedelta(days=(first.lower_bound - plan.start).days)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=plans_with_stages_done(), seed=st.integers(0, 3))
def test_lns_keeps_every_rule_with_stages_already_done(plan: PlanInput, seed: int) -> None:
    instance = GreedyInstance.of(plan)
    before = sequential_schedule(plan)
    after = improve_by_lns(instance, before, 0.2, seed=seed)
    assert violations(plan, after) == []
    assert _key(plan, after) <= _key(plan, before)
    assert {(e.region, e.stage) for e in after} == {(e.region, e.stage) for e in before}


def test_lns_on_non_metric_travel_keeps_every_rule_and_gets_no_worse() -> None:
    plan = family_instance(25, "random", 9)
    assert not is_metric(plan)
    instance = GreedyInstance.of(plan)
    start = greedy_schedule(instance)
    after = improve_by_lns(instance, start, 0.5, seed=1)
    assert violations(plan, after) == []
    assert _key(plan, after) <= _key(plan, start)


def test_lns_with_no_time_left_returns_the_input() -> None:
    plan = family_instance(25, "geographic", 3)
    instance = GreedyInstance.of(plan)
    start = greedy_schedule(instance)
    assert improve_by_lns(instance, start, 50.0, until=time.time() - 1) == start


def test_lns_moves_an_event_to_the_team_that_can_start_it_sooner() -> None:
    # Both regions' meetings given to team x, which travels 3 days between them (finish
    # on day 7), while team y, idle, could hold region B's meeting on days 0-1.
    plan = PlanInput(
        START,
        (RegionInput("A", START), RegionInput("B", START)),
        (StageInput("m", 2),),
        (TeamInput("x", frozenset({"m"})), TeamInput("y", frozenset({"m"}))),
        {"A": {"B": 3}},
    )
    day = lambda n: START + timedelta(days=n)  # noqa: E731
    bad = [
        PlannedEvent("A", "m", "x", day(0), day(2)),
        PlannedEvent("B", "m", "x", day(5), day(7)),
    ]
    assert violations(plan, bad) == []
    better = improve_by_lns(GreedyInstance.of(plan), bad, 0.5)
    assert violations(plan, better) == []
    assert finish_of(better) == day(2)
    assert {e.team for e in better} == {"x", "y"}


def test_lns_moves_a_region_clear_of_a_blackout_that_holds_back_the_finish() -> None:
    # One team, two regions; B has a blackout on days 4-20. Holding A first pushes B's
    # meeting past the blackout (day 21); holding B first ends everything by day 5.
    plan = PlanInput(
        START,
        (
            RegionInput("A", START),
            RegionInput("B", START, ((START + timedelta(days=4), START + timedelta(days=20)),)),
        ),
        (StageInput("m", 2),),
        (TeamInput("x", frozenset({"m"})),),
        {"A": {"B": 1}},
    )
    day = lambda n: START + timedelta(days=n)  # noqa: E731
    bad = [
        PlannedEvent("A", "m", "x", day(0), day(2)),
        PlannedEvent("B", "m", "x", day(21), day(23)),
    ]
    assert violations(plan, bad) == []
    better = improve_by_lns(GreedyInstance.of(plan), bad, 0.5)
    assert violations(plan, better) == []
    assert finish_of(better) == day(5)  # B on days 0-1, travel 1 day, A on days 3-4
    assert finish_of(better) == exhaustive_finish(plan)


def test_the_planner_never_returns_a_later_finish_than_its_starting_point() -> None:
    plan = replace(family_instance(25, "random", 10), time_limit_s=3.0)
    budget = solve.Budget.starting_now(plan.time_limit_s, deterministic=True)
    start = solve.starting_point(plan, sequential_schedule(plan), budget, seed=0)
    hooks = solve.Hooks(plan)
    improved = solve.neighbourhood_search(plan, start, budget, seed=0, hooks=hooks)
    assert improved.proven == start.proven
    assert violations(plan, improved.schedule) == []
    assert finish_of(improved.schedule) <= finish_of(start.schedule)
    assert plan_rollout(plan).finish <= finish_of(start.schedule)


def test_a_wall_clock_plan_with_lns_keeps_every_rule() -> None:
    plan = replace(family_instance(25, "geographic", 4), time_limit_s=3.0)
    result = plan_rollout(plan, deterministic=False)
    assert violations(plan, list(result.events)) == []
    assert not result.deterministic
    assert result.lower_bound <= result.finish < result.baseline_sequential_finish


def test_lns_past_the_safety_cap_keeps_the_schedule_and_says_so() -> None:
    plan = replace(family_instance(25, "random", 4), time_limit_s=3.0)
    start = solve.StartingPoint(greedy_schedule(GreedyInstance.of(plan)), 0)
    budget = solve.Budget(3.0, time.perf_counter(), Cap(time.perf_counter() - 1))
    after = solve.neighbourhood_search(plan, start, budget, seed=0, hooks=solve.Hooks(plan))
    assert after.schedule == start.schedule
    assert budget.cap.reached  # the result will say the cap cut a step short


def test_lns_with_a_wall_clock_limit_stops_at_its_share_of_the_limit() -> None:
    plan = replace(family_instance(25, "random", 4), time_limit_s=3.0)
    start = solve.StartingPoint(greedy_schedule(GreedyInstance.of(plan)), 0)
    late = solve.Budget(3.0, time.perf_counter() - 3.0 * solve.LNS_UNTIL)  # its time is up
    after = solve.neighbourhood_search(plan, start, late, seed=0, hooks=solve.Hooks(plan))
    assert after.schedule == start.schedule
