"""Following and cancelling a plan (``plan_rollout(progress=..., should_stop=...)``),
without a database."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import replace
from datetime import timedelta

import pytest

from amparo.rollout.planner import (
    PlanInput,
    RegionInput,
    StageInput,
    TeamInput,
    critical_path_finish,
    finish_of,
    plan_rollout,
    sequential_schedule,
    solve,
    violations,
)
from amparo.rollout.planner.bound import travel_aware_bound
from amparo.rollout.planner.greedy import GreedyInstance, best_greedy_schedule
from amparo.rollout.planner.search import improve
from amparo.rollout.tests.planner_cases import SMALL, START, three_regions_one_team


def many_regions(count: int = 10, seed: int = 3, limit: float = 3.0) -> PlanInput:
    """Enough regions that the schedule is not proven optimal before the CP-SAT step."""
    rng = random.Random(seed)  # noqa: S311 - varied test plans, not secrecy
    codes = [f"R{n}" for n in range(count)]
    regions = tuple(
        RegionInput(
            code,
            START + timedelta(days=rng.randint(0, 20)),
            ((START + timedelta(days=b), START + timedelta(days=b + rng.randint(3, 9))),)
            if (b := rng.randint(5, 40))
            else (),
        )
        for code in codes
    )
    travel = {a: {b: rng.randint(1, 4) for b in codes if b != a} for a in codes}
    return PlanInput(
        START,
        regions,
        (StageInput("m", 2), StageInput("c", 3, ("m",), 5), StageInput("t", 2, ("c",), 2)),
        (
            TeamInput("x", frozenset({"m", "c", "t"})),
            TeamInput("y", frozenset({"c", "t"})),
        ),
        travel,
        time_limit_s=limit,
    )


def test_progress_hears_finishes_and_bounds_that_bracket_the_answer() -> None:
    plan = many_regions()
    heard = []
    result = plan_rollout(plan, progress=lambda finish, bound: heard.append((finish, bound)))
    assert violations(plan, result.events) == []
    assert heard, "at least the starting schedule is reported"
    bounds = [b for _, b in heard]
    assert bounds == sorted(bounds)  # a proven bound never goes back
    assert all(finish >= result.finish for finish, _ in heard)
    assert all(bound <= result.lower_bound for bound in bounds)
    assert all(finish >= bound for finish, bound in heard)


def test_the_hooks_run_in_the_callers_thread_only() -> None:
    threads = set()

    def note(*_args) -> bool:
        threads.add(threading.get_ident())
        return False

    plan_rollout(many_regions(limit=2.0), progress=note, should_stop=note)
    assert threads == {threading.get_ident()}


def test_a_stopped_plan_ends_early_with_a_valid_schedule() -> None:
    plan = many_regions(limit=20.0)
    began = time.perf_counter()
    asked = []

    def stop_soon() -> bool:
        asked.append(1)
        return time.perf_counter() - began > 0.5

    result = plan_rollout(plan, should_stop=stop_soon)
    assert time.perf_counter() - began < 8  # far less than the 20 s limit
    assert asked
    assert violations(plan, result.events) == []
    assert result.lower_bound <= result.finish


def test_a_plan_stopped_at_once_still_answers_every_event() -> None:
    for plan in [*SMALL, three_regions_one_team(), many_regions(limit=5.0)]:
        result = plan_rollout(plan, should_stop=lambda: True)
        assert violations(plan, result.events) == []
        assert result.lower_bound <= result.finish


def test_without_hooks_small_plans_answer_as_before() -> None:
    for plan in SMALL:
        heard: list = []
        with_hooks = plan_rollout(plan, progress=lambda f, b, heard=heard: heard.append(f))
        assert with_hooks.finish == plan_rollout(plan).finish
        assert heard[-1] >= with_hooks.finish


def test_the_local_search_and_the_bound_ask_whether_to_stop() -> None:
    plan = many_regions()
    g = GreedyInstance.of(plan)
    start = best_greedy_schedule(g, 0.2, seed=0)
    asked = []
    began = time.perf_counter()
    found = improve(g, start, 30.0, should_stop=lambda: asked.append(1) or True)
    assert asked and time.perf_counter() - began < 5
    assert violations(plan, found) == []
    upper = (max(e.end for e in start) - START).days
    assert travel_aware_bound(plan, 0, upper, 30.0, should_stop=lambda: True) == 0
    assert travel_aware_bound(replace(plan), 3, upper, 30.0, should_stop=lambda: True) == 3


def test_the_cp_sat_search_reports_its_solutions_and_stops_when_asked(monkeypatch) -> None:
    # Started from the sequential baseline, only the CP-SAT search can improve the plan.
    def baseline_only(plan, baseline, budget, *, seed, hooks=None):
        return solve.StartingPoint(baseline, (critical_path_finish(plan) - START).days)

    monkeypatch.setattr(solve, "starting_point", baseline_only)
    monkeypatch.setattr(solve, "neighbourhood_search", lambda plan, start, *_a, **_k: start)
    plan = many_regions(limit=30.0)
    baseline = sequential_schedule(plan)
    heard = []
    began = time.perf_counter()

    def stop_after_a_second() -> bool:
        return time.perf_counter() - began > 1.0

    result = plan_rollout(
        plan,
        workers=2,
        progress=lambda finish, bound: heard.append((finish, bound)),
        should_stop=stop_after_a_second,
    )
    assert time.perf_counter() - began < 10  # far less than the 30 s limit
    assert violations(plan, result.events) == []
    assert heard[0][0] == finish_of(baseline)  # the starting schedule first
    assert len(heard) >= 2 and heard[-1][0] < finish_of(baseline)  # then CP-SAT's better ones
    assert result.finish <= heard[-1][0]


def test_a_failing_hook_stops_the_cp_sat_search_with_it(monkeypatch) -> None:
    def baseline_only(plan, baseline, budget, *, seed, hooks=None):
        return solve.StartingPoint(baseline, (critical_path_finish(plan) - START).days)

    monkeypatch.setattr(solve, "starting_point", baseline_only)
    began = time.perf_counter()

    def database_gone() -> bool:
        if time.perf_counter() - began > 0.5:
            raise ConnectionError("database gone")
        return False

    before = set(threading.enumerate())
    with pytest.raises(ConnectionError):
        plan_rollout(many_regions(limit=30.0), workers=2, should_stop=database_gone)
    assert time.perf_counter() - began < 10
    assert set(threading.enumerate()) <= before  # the search's thread ended with it
