"""The deterministic mode (work limits instead of the clock) and the benchmark family's
instances, without a database. No timing is asserted: the machine may be busy."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.rollout.planner import (
    finish_of,
    is_metric,
    plan_rollout,
    result_from_json,
    result_to_json,
    tasks_of,
    validate,
    violations,
)
from amparo.rollout.planner.bound import relaxation_feasible, travel_aware_bound
from amparo.rollout.planner.greedy import GreedyInstance, greedy_schedule
from amparo.rollout.planner.instances import (
    MAX_GEOGRAPHIC_DAYS,
    SIZES,
    TEAMS,
    TIME_LIMITS,
    TRAVEL_MODELS,
    family_instance,
    team_count,
)
from amparo.rollout.planner.rules import critical_path_finish
from amparo.rollout.planner.search import improve, search_for_moves
from amparo.rollout.planner.work import (
    MAX_GREEDY_TRIES,
    Cap,
    bound_iterations,
    cap_seconds,
    greedy_tries,
    search_moves,
)

# --- the same input gives the same plan ----------------------------------------------------


def _twice(plan, **options):
    return plan_rollout(plan, **options), plan_rollout(plan, **options)


def test_a_small_plan_planned_twice_gives_the_same_events() -> None:
    plan = replace(family_instance(5, "geographic", 2), time_limit_s=1.0)
    first, second = _twice(plan)
    assert first.events == second.events
    assert first.lower_bound == second.lower_bound
    assert first.deterministic and first.work_units == 1.0
    assert not violations(plan, first.events)


def test_a_mid_size_plan_with_the_second_process_gives_the_same_events(monkeypatch) -> None:
    from amparo.rollout.planner import work

    # A busy test machine must not reach the safety cap (which would say so): a wide one.
    monkeypatch.setattr(work, "CAP_FACTOR", 60.0)
    # 25 regions: 100 events, enough for restarts, the second process and CP-SAT.
    plan = replace(family_instance(25, "random", 4), time_limit_s=2.0)
    assert len(tasks_of(plan)) >= 40
    first, second = _twice(plan)
    assert not first.time_cap_reached and not second.time_cap_reached
    assert first.events == second.events
    assert first.finish == second.finish and first.lower_bound == second.lower_bound
    assert not violations(plan, first.events)


def test_the_seed_is_part_of_the_input() -> None:
    plan = replace(family_instance(25, "geographic", 1), time_limit_s=1.0)
    first, second = plan_rollout(plan, seed=0), plan_rollout(plan, seed=0)
    assert first.events == second.events
    other = plan_rollout(plan, seed=7)
    assert not violations(plan, other.events)  # another seed may plan otherwise, validly


def test_the_deterministic_fields_are_added_to_the_json_and_read_back() -> None:
    plan = replace(family_instance(5, "random", 1), time_limit_s=1.0)
    result = plan_rollout(plan)
    answer = result_to_json(result)
    assert answer["deterministic"] is True and answer["work_units"] == 1.0
    assert answer["time_cap_reached"] is False
    assert list(answer)[:5] == [
        "status", "finish", "lower_bound", "baseline_sequential_finish", "events",
    ]  # fmt: skip
    back = result_from_json(answer)
    assert back.deterministic and back.work_units == 1.0 and not back.time_cap_reached


def test_the_wall_clock_mode_adds_no_fields() -> None:
    plan = replace(family_instance(5, "random", 1), time_limit_s=1.0)
    result = plan_rollout(plan, deterministic=False)
    assert not result.deterministic and result.work_units is None
    assert set(result_to_json(result)) == {
        "status", "finish", "lower_bound", "baseline_sequential_finish", "events",
    }  # fmt: skip
    assert not violations(plan, result.events)


def test_a_cap_that_has_passed_is_said_in_the_result(monkeypatch) -> None:
    from amparo.rollout.planner import solve

    monkeypatch.setattr(solve, "cap_seconds", lambda limit: 0.0)
    plan = replace(family_instance(25, "geographic", 3), time_limit_s=1.0)
    result = plan_rollout(plan)
    assert result.time_cap_reached
    assert result_to_json(result)["time_cap_reached"] is True
    assert not violations(plan, result.events)  # still a valid schedule


# --- the steps counted in work ---------------------------------------------------------------


def test_the_local_search_with_a_move_budget_repeats_itself() -> None:
    plan = family_instance(25, "geographic", 5)
    g = GreedyInstance.of(plan)
    start = greedy_schedule(g)
    runs = [improve(g, start, 60.0, seed=3, moves=3000) for _ in range(2)]
    assert runs[0] == runs[1]
    assert finish_of(runs[0]) <= finish_of(start)
    assert not violations(plan, runs[0])


def test_search_for_moves_repeats_itself_and_restarts_validly() -> None:
    plan = family_instance(25, "random", 6)
    g = GreedyInstance.of(plan)
    runs = [search_for_moves(g, 4000, greedy_tries=5, seed=1, until=float("inf")) for _ in range(2)]
    assert runs[0] == runs[1]
    assert not violations(plan, runs[0])


def test_an_iteration_limit_gives_a_weaker_but_repeatable_bound() -> None:
    plan = family_instance(5, "geographic", 3)
    chain = (critical_path_finish(plan) - plan.start).days
    upper = (finish_of(greedy_schedule(plan)) - plan.start).days
    full = travel_aware_bound(plan, chain, upper, 60.0)
    few = [travel_aware_bound(plan, chain, upper, 60.0, iterations=50) for _ in range(2)]
    assert few[0] == few[1]
    assert chain <= few[0] <= full <= upper


def test_a_program_too_large_for_the_iterations_left_is_not_built() -> None:
    plan = family_instance(25, "geographic", 1)
    used = [0.0]
    assert relaxation_feasible(plan, 200, 60.0, None, 100, used) is None
    assert used == [0.0]  # nothing built, nothing counted
    assert relaxation_feasible(plan, 250, 60.0, None, 50_000, used) is True
    assert 0 < used[0] <= 50_000  # its building and its iterations, counted


@given(st.integers(1, 500), st.floats(0.01, 600), st.floats(0.01, 600))
def test_work_grows_with_the_units_and_never_is_nothing(events, units, more) -> None:
    low, high = sorted((units, more))
    assert 1 <= greedy_tries(events, low) <= greedy_tries(events, high) <= MAX_GREEDY_TRIES
    assert 1 <= search_moves(events, low) <= search_moves(events, high)
    assert 1 <= bound_iterations(low) <= bound_iterations(high)
    assert cap_seconds(low) > low


@given(st.integers(1, 400), st.floats(0.01, 100))
def test_bigger_plans_get_fewer_moves_for_the_same_work(events, units) -> None:
    assert search_moves(events + 1, units) <= search_moves(events, units)


def test_a_cap_notes_when_it_has_passed() -> None:
    assert not Cap.after(60).reached
    cap = Cap.after(-1)
    assert cap.left() == 0.0 and cap.reached


# --- the benchmark family ---------------------------------------------------------------------


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from((5, 25)), st.sampled_from(TRAVEL_MODELS), st.integers(0, 10_000))
def test_family_instances_are_valid_and_as_documented(size, model, seed) -> None:
    plan = family_instance(size, model, seed)
    validate(plan)
    assert plan == family_instance(size, model, seed)  # the seed decides everything
    assert len(plan.regions) == size and len(plan.stages) == 4
    assert plan.teams == TEAMS[team_count(seed)]
    assert plan.time_limit_s == TIME_LIMITS[size]
    assert all(1 <= len(r.blackouts) <= 2 for r in plan.regions)
    assert all(0 <= (r.earliest - plan.start).days <= 60 for r in plan.regions)
    days = [plan.travel(a.code, b.code) for a, b in itertools.combinations(plan.regions, 2)]
    if model == "geographic":
        assert all(1 <= d <= MAX_GEOGRAPHIC_DAYS for d in days)
        assert is_metric(plan)
    else:
        assert all(1 <= d <= 4 for d in days)


def test_the_family_has_every_size_and_team_count() -> None:
    assert SIZES == (5, 25, 50, 100)
    assert {team_count(seed) for seed in range(3)} == {2, 3, 5}
    assert all(any(t.stages == TEAMS[2][0].stages for t in TEAMS[k]) for k in TEAMS)
    with pytest.raises(ValueError, match="unknown travel model"):
        family_instance(5, "teleport", 1)
    assert family_instance(5, "random", 1, time_limit_s=3).time_limit_s == 3


def test_geographic_travel_reaches_both_ends_on_a_large_plan() -> None:
    plan = family_instance(100, "geographic", 1)
    days = {plan.travel(a.code, b.code) for a, b in itertools.combinations(plan.regions, 2)}
    assert min(days) == 1 and max(days) >= 7
    assert family_instance(100, "geographic", 2) != plan


# --- the command -------------------------------------------------------------------------------


def _command_json(tmp_path, *flags: str) -> dict:
    import json
    from io import StringIO

    from django.core.management import call_command

    from amparo.rollout.planner import plan_to_json

    source = tmp_path / "plan.json"
    source.write_text(json.dumps(plan_to_json(family_instance(5, "geographic", 4, time_limit_s=1))))
    out = StringIO()
    call_command("plan", "--input", str(source), "--json", *flags, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_the_command_plans_deterministically_by_default(tmp_path) -> None:
    first, second = _command_json(tmp_path), _command_json(tmp_path)
    assert first["deterministic"] is True and first["work_units"] == 1.0
    assert first["events"] == second["events"]


def test_the_command_can_stop_on_the_clock_instead(tmp_path) -> None:
    answer = _command_json(tmp_path, "--wall-clock")
    assert "deterministic" not in answer and answer["events"]
