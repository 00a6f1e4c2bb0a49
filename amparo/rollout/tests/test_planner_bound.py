"""The travel-aware lower bound, without a database: it counts travel, it never passes the
true optimum, and the sets of stages it counts."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings

from amparo.rollout.planner import (
    PlanInput,
    RegionInput,
    StageInput,
    TeamInput,
    critical_path_finish,
    plan_rollout,
    tasks_of,
)
from amparo.rollout.planner.bound import (
    Counting,
    candidate_days,
    capacity_sets,
    relaxation_feasible,
    travel_allowance,
    travel_aware_bound,
)
from amparo.rollout.tests.planner_cases import START, exhaustive_finish, plans

# One team, three regions five days apart, one one-day event each: the chain bound is one
# day, the best plan needs 1 + 5 + 1 + 5 + 1 days.
FAR_APART = PlanInput(
    START,
    tuple(RegionInput(code, START) for code in ("A", "B", "C")),
    (StageInput("m", 1),),
    (TeamInput("x", frozenset({"m"})),),
    {a: {b: 5 for b in ("A", "B", "C") if b > a} for a in ("A", "B", "C")},
)


def test_the_lower_bound_counts_travel_that_the_chain_bound_ignores() -> None:
    assert critical_path_finish(FAR_APART) == START + timedelta(days=1)
    assert travel_aware_bound(FAR_APART, 1, 30, seconds=5.0) == 13
    result = plan_rollout(FAR_APART)
    assert result.status == "optimal" and result.finish == result.lower_bound


def test_the_relaxation_decides_each_candidate_finish() -> None:
    counting = Counting.of(FAR_APART)
    assert counting.allowance == {"A": 5, "B": 5, "C": 5}
    assert relaxation_feasible(FAR_APART, 13, 5.0, counting) is True
    assert relaxation_feasible(FAR_APART, 12, 5.0, counting) is False
    # Without a day left for some event there is nothing to solve.
    assert candidate_days(FAR_APART, 0, counting)[("A", "m")] == []
    assert relaxation_feasible(FAR_APART, 0, 5.0, counting) is False


def test_out_of_time_the_bound_is_what_was_proven_so_far() -> None:
    assert travel_aware_bound(FAR_APART, 1, 30, seconds=0.0) == 1


def test_candidate_days_skip_blackouts() -> None:
    plan = PlanInput(
        START,
        (RegionInput("A", START, ((START + timedelta(days=2), START + timedelta(days=3)),)),),
        (StageInput("m", 2),),
        (TeamInput("x", frozenset({"m"})),),
    )
    # Ending by day 8: starts 0 to 6, except those touching days 2-3.
    assert candidate_days(plan, 8, Counting.of(plan)) == {("A", "m"): [0, 4, 5, 6]}


def test_back_to_back_stages_in_one_region_get_no_travel_allowance() -> None:
    # Two stages without an order between them may follow each other in one region with no
    # gap, so the region's travel time cannot be counted after its events.
    plan = PlanInput(
        START,
        (RegionInput("A", START), RegionInput("B", START)),
        (StageInput("m", 1), StageInput("c", 1)),
        (TeamInput("x", frozenset({"m", "c"})),),
        {"A": {"B": 5}},
    )
    assert travel_allowance(plan) == {"A": 0, "B": 0}
    ordered = PlanInput(
        plan.start, plan.regions, (StageInput("m", 1), StageInput("c", 1, ("m",), 3)),
        plan.teams, plan.travel_days,
    )  # fmt: skip
    assert travel_allowance(ordered) == {"A": 3, "B": 3}
    assert plan_rollout(plan).finish == exhaustive_finish(plan)


def test_only_the_largest_set_of_stages_for_each_number_of_teams_is_counted() -> None:
    plan = PlanInput(
        START,
        (RegionInput("A", START),),
        (StageInput("m", 1), StageInput("c", 1), StageInput("t", 1)),
        (TeamInput("x", frozenset({"m", "c"})), TeamInput("y", frozenset({"t"}))),
    )
    # {m}, {c} and {m, c} have one team: {m, c} says the most. {t} too has one team and is
    # not within {m, c}. Any set with t and m or c has both teams: the whole set.
    assert sorted(capacity_sets(plan), key=lambda pair: sorted(pair[0])) == [
        (frozenset({"c", "m"}), 1),
        (frozenset({"c", "m", "t"}), 2),
        (frozenset({"t"}), 1),
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans().filter(lambda plan: len(tasks_of(plan)) <= 5))
def test_the_lower_bound_never_exceeds_the_true_optimum(plan: PlanInput) -> None:
    optimum = (exhaustive_finish(plan) - START).days
    chain = (critical_path_finish(plan) - START).days
    assert chain <= travel_aware_bound(plan, chain, optimum + 10, seconds=5.0) <= optimum
