"""Plans the planner's tests share: the issue's example, small instances with an optimum
known by exhaustive search, and random plans for property tests."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import strategies as st

from amparo.rollout.planner import (
    PlanInput,
    RegionInput,
    StageInput,
    TeamInput,
    first_free_day,
    tasks_of,
)

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

# What a run of the planner page keeps (``planning.plan_run_execute``).
STORED_INPUT = {
    "start": "2027-01-04",
    "regions": [{"code": "PE-LOR", "earliest": "2027-01-04", "blackouts": [], "done": []},
                {"code": "PE-UCA", "earliest": "2027-01-04", "blackouts": [], "done": []}],
    "stages": [{"code": "conferencia", "days": 2, "after": ["reuniones"], "min_gap_days": 3},
               {"code": "reuniones", "days": 1, "after": [], "min_gap_days": 0}],
    "teams": [{"code": "A", "stages": ["conferencia", "reuniones"]}],
    "travel_days": {"PE-LOR": {"PE-UCA": 2}},
    "time_limit_s": 2,
}  # fmt: skip
STORED_RESULT = {
    "status": "feasible",
    "finish": "2027-01-21",
    "lower_bound": "2027-01-16",
    "baseline_sequential_finish": "2027-01-21",
    "events": [
        {"region": "PE-UCA", "stage": "reuniones", "team": "A",
         "start": "2027-01-04", "end": "2027-01-05"},
        {"region": "PE-LOR", "stage": "reuniones", "team": "A",
         "start": "2027-01-07", "end": "2027-01-08"},
        {"region": "PE-UCA", "stage": "conferencia", "team": "A",
         "start": "2027-01-10", "end": "2027-01-12"},
        {"region": "PE-LOR", "stage": "conferencia", "team": "A",
         "start": "2027-01-19", "end": "2027-01-21"},
    ],
    "solve_seconds": 2.03,
}  # fmt: skip

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


def three_regions_one_team() -> PlanInput:
    """Starting where it can start first sends the team to the far region C too early:
    the plain greedy schedule ends on day 20, the optimum on day 18."""
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
                    day = first_free_day(regions[region], day, stage.days)
                    if day != starts[i]:
                        starts[i], changed = day, True
                if not changed:
                    break
            else:
                continue  # the team orders contradict the precedences: no schedule
            finish = max(starts[i] + timedelta(days=s.days) for i, (_, s) in enumerate(tasks))
            best = finish if best is None or finish < best else best
    return best


@st.composite
def plans(draw) -> PlanInput:
    """Up to three stages with random prerequisites and gaps, up to three regions with
    blackouts, one or two teams, travel of 0 to 4 days (not always metric)."""
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


@st.composite
def plans_with_stages_done(draw) -> PlanInput:
    """``plans`` where each region may have some (never all) stages done already."""
    plan = draw(plans())
    codes = [s.code for s in plan.stages]
    regions = tuple(
        replace(r, done=tuple(draw(st.sets(st.sampled_from(codes), max_size=len(codes) - 1))))
        for r in plan.regions
    )
    return replace(plan, regions=regions)
