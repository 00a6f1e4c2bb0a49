"""The local search over the teams' orders, without a database, and the second search in a
child process."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.rollout.planner import (
    PlanInput,
    RegionInput,
    StageInput,
    TeamInput,
    finish_of,
    plan_rollout,
    tasks_of,
    violations,
)
from amparo.rollout.planner import search as planner_search
from amparo.rollout.planner.greedy import GreedyInstance, GreedyWeights, greedy_schedule
from amparo.rollout.planner.search import (
    improve,
    orders_of,
    search_until,
    second_search,
    timed,
)
from amparo.rollout.tests.planner_cases import (
    START,
    exhaustive_finish,
    plans,
    three_regions_one_team,
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
def test_improved_schedules_keep_every_rule(
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


# --- the second search in a child process ------------------------------------------------


@pytest.fixture
def every_plan_is_large(monkeypatch):
    monkeypatch.setattr(planner_search, "SECOND_SEARCH_FROM_EVENTS", 0)
    monkeypatch.setattr(planner_search.os, "cpu_count", lambda: 2)


def test_the_second_search_returns_a_schedule_that_keeps_every_rule(every_plan_is_large) -> None:
    plan = three_regions_one_team()
    with second_search(plan, 6, 0.1, time.time() + 0.5, seed=1) as second:
        assert second is not None
        events = second.result()
    assert events is not None
    assert violations(plan, events) == []
    assert {(e.region, e.stage) for e in events} == {(r, s.code) for r, s in tasks_of(plan)}


def test_small_plans_and_single_cores_do_without_a_second_search(monkeypatch) -> None:
    plan = three_regions_one_team()
    with second_search(plan, 6, 0.1, time.time() + 0.5, seed=1) as second:
        assert second is None  # 6 events: below the threshold
    monkeypatch.setattr(planner_search.os, "cpu_count", lambda: 1)
    with second_search(plan, 1000, 0.1, time.time() + 0.5, seed=1) as second:
        assert second is None


def test_a_failing_second_search_costs_nothing_but_itself(every_plan_is_large, monkeypatch) -> None:
    plan = replace(three_regions_one_team(), time_limit_s=1.0)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # starts, answers nothing, fails
    with second_search(plan, 6, 0.1, time.time() + 0.5, seed=1) as second:
        assert second is not None
        assert second.result() is None
    result = plan_rollout(plan)
    assert violations(plan, result.events) == []
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")  # cannot even start
    with second_search(plan, 6, 0.1, time.time() + 0.5, seed=1) as second:
        assert second is None
    assert violations(plan, plan_rollout(plan).events) == []


def test_a_second_search_that_overruns_is_stopped(
    every_plan_is_large, monkeypatch, tmp_path
) -> None:
    slow = tmp_path / "slow-python"
    slow.write_text("#!/bin/sh\nsleep 60\n")
    slow.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(slow))
    monkeypatch.setattr(planner_search, "GRACE_SECONDS", 0.2)
    plan = three_regions_one_team()
    began = time.perf_counter()
    with second_search(plan, 6, 0.1, time.time(), seed=1) as second:
        assert second is not None
        assert second.result() is None
        assert second.process.poll() is not None  # killed, not left behind
    assert time.perf_counter() - began < 30  # did not wait for the minute


def test_a_schedule_from_the_second_search_that_breaks_a_rule_is_refused(
    every_plan_is_large, monkeypatch, tmp_path
) -> None:
    # Whatever answers in the child's place, only a schedule that keeps every rule is used.
    plan = three_regions_one_team()
    liar = tmp_path / "liar-python"
    liar.write_text(
        "#!/bin/sh\ncat > /dev/null\n"
        'echo \'{"events": [{"region": "A", "stage": "m", "team": "x", '
        '"start": "2027-01-04", "end": "2027-01-06"}]}\'\n'
    )
    liar.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(liar))
    with second_search(plan, 6, 0.1, time.time() + 5, seed=1) as second:
        assert second is not None
        assert second.result() is None
