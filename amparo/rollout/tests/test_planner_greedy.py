"""The planner's greedy schedules, without a database: valid, repeatable for a seed, and
the best of the variants never worse than the plain one."""

from __future__ import annotations

import random
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.rollout.planner import PlanInput, critical_path_finish, finish_of, greedy, violations
from amparo.rollout.planner.greedy import (
    GreedyInstance,
    GreedyWeights,
    best_greedy_schedule,
    greedy_schedule,
)
from amparo.rollout.tests.planner_cases import (
    SMALL,
    START,
    plans,
    plans_with_stages_done,
    three_regions_one_team,
)


def test_the_plain_greedy_schedule_starts_where_it_can_start_first() -> None:
    plan = three_regions_one_team()
    events = greedy_schedule(plan)
    assert (events[0].region, events[0].start) == ("B", START)
    assert finish_of(events) - START == timedelta(days=20)  # the optimum is 18
    assert violations(plan, events) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_with_stages_done(), st.floats(0, 2), st.floats(0, 2), st.floats(0, 2))
def test_every_greedy_schedule_keeps_every_rule(
    plan: PlanInput, tail: float, travel: float, noise: float
) -> None:
    weights = GreedyWeights(tail=tail, travel=travel, noise=noise)
    events = greedy_schedule(GreedyInstance.of(plan), weights, random.Random(1))  # noqa: S311
    assert violations(plan, events) == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.integers(0, 100))
def test_greedy_schedules_are_repeatable_for_a_seed(plan: PlanInput, seed: int) -> None:
    instance = GreedyInstance.of(plan)
    assert greedy_schedule(instance) == greedy_schedule(GreedyInstance.of(plan))
    # Ample time: the variants tried depend on the seed alone, not on the clock.
    first = best_greedy_schedule(instance, 60.0, seed=seed, tries=30)
    assert best_greedy_schedule(instance, 60.0, seed=seed, tries=30) == first


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.integers(0, 100))
def test_the_best_variant_is_never_worse_than_the_plain_schedule(plan, seed) -> None:
    instance = GreedyInstance.of(plan)
    best = best_greedy_schedule(instance, 60.0, seed=seed, tries=30)
    assert violations(plan, best) == []
    assert critical_path_finish(plan) <= finish_of(best) <= finish_of(greedy_schedule(instance))


def test_variants_are_tried_only_while_the_chain_bound_is_not_met(monkeypatch) -> None:
    calls = []
    plain = greedy.greedy_schedule

    def counted(*args, **kwargs):
        calls.append(args)
        return plain(*args, **kwargs)

    monkeypatch.setattr(greedy, "greedy_schedule", counted)
    # One region alone: the plain schedule meets the chain bound, nothing can beat it.
    alone = PlanInput(START, SMALL[1].regions[:1], SMALL[1].stages, SMALL[1].teams)
    best = best_greedy_schedule(GreedyInstance.of(alone), 60.0, seed=0)
    assert finish_of(best) == critical_path_finish(alone) and len(calls) == 1
    calls.clear()
    # One team for three regions never meets it: every variant is tried.
    best_greedy_schedule(GreedyInstance.of(three_regions_one_team()), 60.0, seed=0, tries=5)
    assert len(calls) == 1 + 5


def test_an_instance_speaks_whole_days_from_the_start() -> None:
    plan = three_regions_one_team()
    instance = GreedyInstance.of(plan)
    task = instance.tasks.index(("A", "c"))
    assert instance.earliest[task] == 3 and instance.days[task] == 2
    assert instance.tail[instance.tasks.index(("A", "m"))] == 2 + 2 + 2
    event = instance.event(task, 0, 9)
    assert (event.region, event.stage, event.team) == ("A", "c", "x")
    assert event.start == START + timedelta(days=9) and event.end == START + timedelta(days=11)
