"""``plan_rollout``, without a database: known optima by exhaustive search, every returned
schedule checked against every rule, and how the time limit is shared."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings

from amparo.rollout.planner import (
    PlanInput,
    RegionInput,
    StageInput,
    TeamInput,
    critical_path_finish,
    parse_plan_input,
    plan_rollout,
    result_to_json,
    sequential_schedule,
    solve,
    violations,
)
from amparo.rollout.planner.solve import Budget, starting_point
from amparo.rollout.tests.planner_cases import (
    EXAMPLE,
    SMALL,
    START,
    exhaustive_finish,
    plans,
    three_regions_one_team,
)


def test_the_issue_example_plans_the_conference_after_the_gap() -> None:
    result = plan_rollout(parse_plan_input(EXAMPLE))
    assert result_to_json(result) == {
        "status": "optimal",
        "finish": "2027-01-30",
        "lower_bound": "2027-01-30",
        "baseline_sequential_finish": "2027-01-30",
        "events": [
            {"region": "PE-MDD", "stage": "meeting", "team": "A",
             "start": "2027-01-04", "end": "2027-01-06"},
            {"region": "PE-MDD", "stage": "conference", "team": "A",
             "start": "2027-01-27", "end": "2027-01-30"},
        ],
        # added by the deterministic mode, the default; the fields above are unchanged
        "deterministic": True,
        "work_units": 10.0,
        "time_cap_reached": False,
    }  # fmt: skip


def test_the_result_carries_the_plans_start_and_stage_order() -> None:
    result = plan_rollout(parse_plan_input(EXAMPLE))
    assert result.start == date(2027, 1, 4)
    assert result.stage_order == ("meeting", "conference")
    assert result.finish_days == 26 and result.gap_days == 0 and result.optimal


def test_a_blackout_pushes_an_event_past_its_last_day() -> None:
    raw = {**EXAMPLE, "regions": [{"code": "PE-MDD", "blackouts": [["2027-01-20", "2027-03-15"]]}]}
    result = plan_rollout(parse_plan_input(raw))
    conference = next(e for e in result.events if e.stage == "conference")
    assert conference.start == date(2027, 3, 16)


def test_two_teams_in_parallel_beat_the_sequential_baseline() -> None:
    plan = PlanInput(
        START,
        (RegionInput("A", START), RegionInput("B", START)),
        (StageInput("m", 5),),
        (TeamInput("x", frozenset({"m"})), TeamInput("y", frozenset({"m"}))),
    )
    result = plan_rollout(plan)
    assert result.finish == START + timedelta(days=5)
    assert result.baseline_sequential_finish == START + timedelta(days=10)
    assert {e.team for e in result.events} == {"x", "y"}


def test_travel_applies_between_a_teams_consecutive_events() -> None:
    plan = PlanInput(
        START,
        (RegionInput("A", START), RegionInput("B", START)),
        (StageInput("m", 2),),
        (TeamInput("x", frozenset({"m"})),),
        {"A": {"B": 3}},
    )
    result = plan_rollout(plan)
    assert result.finish == START + timedelta(days=2 + 3 + 2)
    assert violations(plan, result.events) == []


def test_a_plan_with_everything_done_finishes_on_its_start() -> None:
    plan = PlanInput(
        START,
        (RegionInput("A", START, done=("m",)),),
        (StageInput("m", 2),),
        (TeamInput("x", frozenset({"m"})),),
    )
    result = plan_rollout(plan)
    assert result.events == () and result.optimal
    assert result.finish == result.lower_bound == result.baseline_sequential_finish == START


@pytest.mark.parametrize("plan", SMALL)
def test_it_finds_the_optimum_that_exhaustive_search_finds(plan: PlanInput) -> None:
    result = plan_rollout(plan)
    assert result.status == "optimal"
    assert result.finish == exhaustive_finish(plan)
    assert result.lower_bound == result.finish
    assert violations(plan, result.events) == []


def test_non_metric_travel_gives_a_valid_plan_and_a_bound_that_holds() -> None:
    plan = replace(SMALL[1], travel_days={"A": {"B": 1, "C": 9}, "B": {"C": 1}})  # A-C via B
    result = plan_rollout(plan)
    assert violations(plan, result.events) == []
    assert result.lower_bound <= exhaustive_finish(plan) <= result.finish
    assert (result.status == "optimal") == (result.lower_bound == result.finish)


def test_the_cp_sat_search_improves_a_start_that_misses_the_bound(monkeypatch) -> None:
    # Starting from the sequential baseline alone (no greedy schedule, no local search)
    # and the chain bound, only the CP-SAT model can find the optimum and prove it.
    plan = SMALL[0]

    def baseline_only(plan, baseline, budget, *, seed, hooks=None):
        return solve.StartingPoint(baseline, (critical_path_finish(plan) - START).days)

    monkeypatch.setattr(solve, "starting_point", baseline_only)
    result = plan_rollout(plan)
    assert result.finish == exhaustive_finish(plan) < result.baseline_sequential_finish
    assert result.optimal and result.lower_bound == result.finish
    assert violations(plan, result.events) == []


def test_the_starting_point_is_valid_and_never_below_its_bound() -> None:
    plan = three_regions_one_team()
    start = starting_point(
        plan, sequential_schedule(plan), Budget.starting_now(plan.time_limit_s), seed=0
    )
    assert violations(plan, start.schedule) == []
    finish = max(e.end for e in start.schedule)
    assert start.proven <= (exhaustive_finish(plan) - START).days <= (finish - START).days


def test_the_budget_shares_the_time_limit_among_the_steps() -> None:
    budget = Budget(10.0, time.perf_counter())
    assert budget.greedy_seconds == pytest.approx(1.0)
    assert budget.bound_seconds == pytest.approx(3.5)
    assert budget.search_until() - time.time() == pytest.approx(6.0, abs=0.5)
    assert budget.lns_until() - time.time() == pytest.approx(9.0, abs=0.5)
    late = Budget(10.0, time.perf_counter() - 30)
    assert late.solver_seconds() == solve.MIN_SOLVER_SECONDS  # time is up: a short try


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_returned_schedule_keeps_every_rule(plan: PlanInput) -> None:
    result = plan_rollout(plan)
    assert violations(plan, result.events) == []
    assert violations(plan, sequential_schedule(plan)) == []
    assert result.lower_bound <= result.finish <= result.baseline_sequential_finish
    assert result.finish == max(e.end for e in result.events)
    assert critical_path_finish(plan) <= result.finish
    assert [(e.start, e.region, e.stage) for e in result.events] == sorted(
        (e.start, e.region, e.stage) for e in result.events
    )
