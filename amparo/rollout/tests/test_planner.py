"""The planner, without a database: known optima by exhaustive search, every returned
schedule checked against every rule, and clear errors for bad input."""

from __future__ import annotations

import contextlib
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.rollout.planner import (
    PlanInput,
    PlanInputError,
    RegionInput,
    StageInput,
    TeamInput,
    _first_free_day,
    critical_path_finish,
    parse_plan_input,
    plan_rollout,
    result_to_json,
    sequential_schedule,
    tasks_of,
    violations,
)
from amparo.rollout.planner_bound import travel_allowance, travel_aware_bound

START = date(2027, 1, 4)
EXAMPLE = {
    "start": "2027-01-04",
    "regions": [{"code": "PE-MDD", "earliest": "2027-01-04",
                 "blackouts": [["2027-02-01", "2027-03-15"]]}],
    "stages": [{"code": "meeting", "days": 2, "after": [], "min_gap_days": 0},
               {"code": "conference", "days": 3, "after": ["meeting"], "min_gap_days": 21}],
    "teams": [{"code": "A", "stages": ["meeting", "conference"]}],
    "travel_days": {"PE-MDD": {"PE-UCA": 2}},
    "time_limit_s": 10,
}  # fmt: skip


def exhaustive_finish(plan: PlanInput) -> date:
    """The optimum by brute force: every team assignment and every order of each team's
    tasks, each task as early as its predecessors, release date and blackouts allow.
    (For a fixed order, starting everything as early as possible minimizes the finish.)"""
    tasks = tasks_of(plan)
    regions = {r.code: r for r in plan.regions}
    capable = [[t.code for t in plan.teams if s.code in t.stages] for _, s in tasks]
    best = None
    for teams in itertools.product(*capable):
        per_team = {t.code: [i for i, x in enumerate(teams) if x == t.code] for t in plan.teams}
        for orders in itertools.product(*(itertools.permutations(v) for v in per_team.values())):
            previous = {}
            for order in orders:
                for a, b in itertools.pairwise(order):
                    previous[b] = a
            starts = {i: regions[tasks[i][0]].earliest for i in range(len(tasks))}
            for _ in range(len(tasks) + 2):
                changed = False
                for i, (region, stage) in enumerate(tasks):
                    day = regions[region].earliest
                    if i in previous:
                        j = previous[i]
                        travel = plan.travel(tasks[j][0], region)
                        day = max(day, starts[j] + timedelta(days=tasks[j][1].days + travel))
                    for j, (other_region, other) in enumerate(tasks):
                        if other_region == region and other.code in stage.after:
                            gap = other.days + stage.min_gap_days
                            day = max(day, starts[j] + timedelta(days=gap))
                    day = _first_free_day(regions[region], day, stage.days)
                    if day != starts[i]:
                        starts[i], changed = day, True
                if not changed:
                    break
            else:
                continue  # the team orders contradict the precedences: no schedule
            finish = max(starts[i] + timedelta(days=s.days) for i, (_, s) in enumerate(tasks))
            best = finish if best is None or finish < best else best
    return best


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
    }  # fmt: skip


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


SMALL = [
    PlanInput(
        START,
        (RegionInput("A", START, ((START + timedelta(days=3), START + timedelta(days=6)),)),
         RegionInput("B", START + timedelta(days=2))),
        (StageInput("m", 2), StageInput("c", 3, ("m",), 4)),
        (TeamInput("x", frozenset({"m", "c"})), TeamInput("y", frozenset({"c"}))),
        {"A": {"B": 2}},
    ),
    PlanInput(
        START,
        (RegionInput("A", START), RegionInput("B", START), RegionInput("C", START)),
        (StageInput("m", 1), StageInput("c", 2, ("m",), 1)),
        (TeamInput("x", frozenset({"m", "c"})),),
        {"A": {"B": 1, "C": 2}, "B": {"C": 1}},
    ),
    PlanInput(
        START,
        (RegionInput("A", START, ((START, START + timedelta(days=1)),), done=("m",)),
         RegionInput("B", START)),
        (StageInput("m", 2), StageInput("c", 2, ("m",), 3), StageInput("t", 1, ("c",), 0)),
        (TeamInput("x", frozenset({"m", "t"})), TeamInput("y", frozenset({"c", "t"}))),
        {"A": {"B": 1}},
    ),
]  # fmt: skip


@pytest.mark.parametrize("plan", SMALL)
def test_it_finds_the_optimum_that_exhaustive_search_finds(plan: PlanInput) -> None:
    result = plan_rollout(plan)
    assert result.status == "optimal"
    assert result.finish == exhaustive_finish(plan)
    assert result.lower_bound == result.finish
    assert violations(plan, result.events) == []


def test_non_metric_travel_gives_a_valid_plan_and_a_bound_that_holds() -> None:
    plan = SMALL[1].__class__(
        START,
        SMALL[1].regions,
        SMALL[1].stages,
        SMALL[1].teams,
        {"A": {"B": 1, "C": 9}, "B": {"C": 1}},  # A to C is faster through B
    )
    result = plan_rollout(plan)
    assert violations(plan, result.events) == []
    assert result.lower_bound <= exhaustive_finish(plan) <= result.finish
    assert (result.status == "optimal") == (result.lower_bound == result.finish)


def test_the_lower_bound_counts_travel_that_the_chain_bound_ignores() -> None:
    # One team, three regions five days apart, one one-day event each: the chain bound is
    # one day, the best plan needs 1 + 5 + 1 + 5 + 1 days.
    codes = ("A", "B", "C")
    plan = PlanInput(
        START,
        tuple(RegionInput(code, START) for code in codes),
        (StageInput("m", 1),),
        (TeamInput("x", frozenset({"m"})),),
        {a: {b: 5 for b in codes if b > a} for a in codes},
    )
    assert critical_path_finish(plan) == START + timedelta(days=1)
    assert (travel_aware_bound(plan, 1, 30, seconds=5.0)) == 13
    result = plan_rollout(plan)
    assert result.status == "optimal" and result.finish == result.lower_bound


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


@st.composite
def plans(draw) -> PlanInput:
    n_stages = draw(st.integers(1, 3))
    stages = []
    for i in range(n_stages):
        after = tuple(f"s{j}" for j in range(i) if draw(st.booleans()))
        stages.append(StageInput(f"s{i}", draw(st.integers(1, 4)), after, draw(st.integers(0, 5))))
    codes = [s.code for s in stages]
    regions = []
    for r in range(draw(st.integers(1, 3))):
        earliest = START + timedelta(days=draw(st.integers(0, 5)))
        blackouts = []
        for _ in range(draw(st.integers(0, 2))):
            first = START + timedelta(days=draw(st.integers(0, 30)))
            blackouts.append((first, first + timedelta(days=draw(st.integers(0, 6)))))
        regions.append(RegionInput(f"R{r}", earliest, tuple(blackouts)))
    teams = [TeamInput("T0", frozenset(codes))]
    if draw(st.booleans()):
        teams.append(TeamInput("T1", frozenset(draw(st.sets(st.sampled_from(codes), min_size=1)))))
    travel = {
        a.code: {b.code: draw(st.integers(0, 4)) for b in regions if b.code != a.code}
        for a in regions
    }
    return PlanInput(START, tuple(regions), tuple(stages), tuple(teams), travel, 5.0)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans().filter(lambda plan: len(tasks_of(plan)) <= 5))
def test_the_lower_bound_never_exceeds_the_true_optimum(plan: PlanInput) -> None:
    optimum = (exhaustive_finish(plan) - START).days
    chain = (critical_path_finish(plan) - START).days
    assert chain <= travel_aware_bound(plan, chain, optimum + 10, seconds=5.0) <= optimum


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_every_returned_schedule_keeps_every_rule(plan: PlanInput) -> None:
    result = plan_rollout(plan)
    assert violations(plan, result.events) == []
    assert violations(plan, sequential_schedule(plan)) == []
    assert result.lower_bound <= result.finish <= result.baseline_sequential_finish
    assert result.finish == max(e.end for e in result.events)
    assert critical_path_finish(plan) <= result.finish


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["stages"][1].update(after=["lunch"]), "unknown stage 'lunch'"),
        (lambda r: r["stages"][0].update(after=["conference"]), "form a cycle"),
        (lambda r: r["teams"][0].update(stages=["meeting"]),
         "no team can deliver stage 'conference'"),
        (lambda r: r["regions"][0].update(blackouts=[["2027-03-15", "2027-02-01"]]),
         "blackout ends (2027-02-01) before it begins (2027-03-15)"),
        (lambda r: r["regions"][0].update(earliest="someday"), "is not a date"),
        (lambda r: r["stages"][0].update(days=0), "expected a whole number >= 1"),
        (lambda r: r.update(time_limit_s=-1), "time_limit_s"),
        (lambda r: r.update(regions=[]), "no regions"),
        (lambda r: r.pop("teams"), "missing 'teams'"),
        (lambda r: r["regions"].append({"code": "PE-MDD"}), "region code repeated: PE-MDD"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_the_problem_named(change, message) -> None:
    import copy

    raw = copy.deepcopy(EXAMPLE)
    change(raw)
    with pytest.raises(PlanInputError) as refused:
        parse_plan_input(raw)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["stages"][0].pop("code"), "every stage needs a code"),
        (lambda r: r["stages"][0].update(after=5), "stage 'meeting' after: expected a list"),
        (lambda r: r["stages"][0].update(after="meeting"), "stage 'meeting' after"),
        (lambda r: r["regions"][0].update(done=5), "region 'PE-MDD' done: expected a list"),
        (lambda r: r["regions"][0].update(blackouts=5), "region 'PE-MDD': blackouts must be"),
        (lambda r: r["teams"][0].update(stages=5), "team 'A' stages: expected a list"),
        (lambda r: r["teams"][0].update(stages=[["meeting"]]), "team 'A' stages"),
    ],
)  # fmt: skip
def test_badly_shaped_input_is_refused_with_the_part_named(change, message) -> None:
    import copy

    raw = copy.deepcopy(EXAMPLE)
    change(raw)
    with pytest.raises(PlanInputError) as refused:
        parse_plan_input(raw)
    assert message in str(refused.value)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(
    stage=st.dictionaries(st.sampled_from(["code", "days", "after", "min_gap_days"]), _JSON),
    region=st.dictionaries(st.sampled_from(["code", "earliest", "blackouts", "done"]), _JSON),
    team=st.dictionaries(st.sampled_from(["code", "stages"]), _JSON),
)
def test_any_shape_of_input_is_planned_or_refused_with_a_plan_input_error(stage, region, team):
    raw = {"start": "2027-01-04", "regions": [region], "stages": [stage], "teams": [team]}
    with contextlib.suppress(PlanInputError):  # anything else fails the test
        parse_plan_input(raw)
