"""The CP-SAT model's bound on plans whose travel is not metric, without a database: the
model asks only the shortest-path travel between a team's events, so its bound never
exceeds the true optimum (checked against exhaustive search), and its schedules, timed
again with the real travel (``solve.retimed``), always keep every rule."""

from __future__ import annotations

import random
from contextlib import contextmanager
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
    sequential_schedule,
    solve,
    tasks_of,
    violations,
)
from amparo.rollout.tests.planner_cases import START, exhaustive_finish, plans

# A to C directly takes 10 days, through B only 2: not metric.
DETOUR = {"A": {"B": 1, "C": 10}, "B": {"C": 1}}


def detour_plan(regions: tuple[str, ...] = ("A", "C", "B")) -> PlanInput:
    """One team, one 1-day stage in three regions. The optimum visits A, B, C in that
    order (or back) and ends on day 5; any schedule visits both A and C, so a model that
    kept the direct 10 days between them could not finish before day 12."""
    return PlanInput(
        START,
        tuple(RegionInput(code, START) for code in regions),
        (StageInput("m", 1),),
        (TeamInput("x", frozenset({"m"})),),
        DETOUR,
        time_limit_s=5.0,
    )


@contextmanager
def cp_sat_alone(start: list[PlannedEvent] | None = None):
    """``plan_rollout`` with ``start`` (by default the sequential baseline) as its starting
    schedule, no proven bound beyond day 0 and no large-neighbourhood search: what it
    proves and improves is the CP-SAT model's own doing."""

    def baseline_only(plan, baseline, budget, *, seed, hooks=None):
        return solve.StartingPoint(start or baseline, 0)

    def unchanged(plan, start, budget, *, seed, hooks):
        return start

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(solve, "starting_point", baseline_only)
        patch.setattr(solve, "neighbourhood_search", unchanged)
        yield


def _day(day: int) -> timedelta:
    return timedelta(days=day)


def _event(region: str, day: int) -> PlannedEvent:
    return PlannedEvent(region, "m", "x", START + _day(day), START + _day(day + 1))


# A valid schedule that goes from A straight to C: it ends on day 14.
FAR_FIRST = [_event("A", 0), _event("C", 11), _event("B", 13)]


def test_the_detour_plan_is_not_metric_and_its_optimum_takes_the_short_way() -> None:
    plan = detour_plan()
    assert not is_metric(plan)
    assert exhaustive_finish(plan) == START + _day(5)
    assert violations(plan, FAR_FIRST) == []


def test_the_cp_sat_bound_asks_the_shortest_path_not_the_direct_travel() -> None:
    # With the direct travel between every two of the team's events the model's bound
    # would be day 12, above the true optimum; with the shortest path it proves day 5.
    # Starting from A, C, B (day 14), the direct-travel model's best would be day 12.
    plan = detour_plan()
    with cp_sat_alone(FAR_FIRST):
        result = plan_rollout(plan)
    assert result.lower_bound <= exhaustive_finish(plan)
    assert result.finish == result.lower_bound == START + _day(5)
    assert result.optimal
    assert violations(plan, result.events) == []


def test_the_relaxed_orders_are_timed_again_with_the_direct_travel() -> None:
    plan = detour_plan()
    fallback = FAR_FIRST
    # Relaxed days: A, B, C each 2 days apart; timed again from the order they stay valid.
    better = solve.retimed(plan, [_event("A", 3), _event("B", 5), _event("C", 7)], fallback)
    assert [(e.region, (e.start - START).days) for e in better] == [("A", 0), ("B", 2), ("C", 4)]
    assert violations(plan, better) == []


def test_relaxed_orders_that_time_out_later_leave_the_starting_schedule() -> None:
    plan = detour_plan()
    fallback = [_event("A", 0), _event("B", 2), _event("C", 4)]
    # A then C then B: 2 days apart on the shortest path, but the direct A to C takes 10.
    relaxed = [_event("A", 0), _event("C", 3), _event("B", 5)]
    assert violations(plan, relaxed) != []
    assert solve.retimed(plan, relaxed, fallback) == fallback


@st.composite
def non_metric_plans(draw) -> PlanInput:
    """``plans`` with three regions or more, each pair's travel drawn again, and a detour:
    the first region to the third directly takes longer than through the second."""
    plan = draw(plans())
    regions = list(plan.regions)
    while len(regions) < 3:
        regions.append(RegionInput(f"R{len(regions)}", START + _day(draw(st.integers(0, 5)))))
    codes = [r.code for r in regions]
    travel = {a: {b: draw(st.integers(0, 4)) for b in codes if b != a} for a in codes}
    first, via, last = codes[:3]
    slower = travel[first][via] + travel[via][last] + draw(st.integers(1, 4))
    travel[first][last] = slower
    travel[last][first] = slower
    return replace(plan, regions=tuple(regions), travel_days=travel)


def _small(plan: PlanInput) -> bool:
    return len(tasks_of(plan)) <= 6


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(non_metric_plans().filter(_small))
def test_on_non_metric_travel_the_cp_sat_bound_never_exceeds_the_optimum(
    plan: PlanInput,
) -> None:
    assert not is_metric(plan)
    optimum = exhaustive_finish(plan)
    with cp_sat_alone():
        result = plan_rollout(plan)
    assert result.lower_bound <= optimum <= result.finish
    assert result.optimal == (result.finish == result.lower_bound)
    assert violations(plan, result.events) == []
    assert result.finish <= finish_of(sequential_schedule(plan))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(non_metric_plans(), st.integers(0, 1000))
def test_retimed_orders_always_keep_every_rule_and_are_never_worse(
    plan: PlanInput, seed: int
) -> None:
    # Any team orders at all, as the relaxed model might choose them: each team's events
    # shuffled, on arbitrary days in that order.
    rng = random.Random(seed)  # noqa: S311 - varied orders, not secrecy
    fallback = sequential_schedule(plan)
    shuffled = rng.sample(fallback, len(fallback))
    relaxed = [
        replace(e, start=START + _day(n), end=START + _day(n)) for n, e in enumerate(shuffled)
    ]
    chosen = solve.retimed(plan, relaxed, fallback)
    assert violations(plan, chosen) == []
    assert finish_of(chosen) <= finish_of(fallback)
    assert {(e.region, e.stage) for e in chosen} == {(e.region, e.stage) for e in fallback}


def test_the_same_non_metric_plan_twice_gives_the_same_schedule_and_bound() -> None:
    plan = detour_plan()
    with cp_sat_alone(FAR_FIRST):
        first, second = plan_rollout(plan), plan_rollout(plan)
    assert first.events == second.events
    assert first.lower_bound == second.lower_bound
