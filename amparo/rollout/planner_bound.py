"""A lower bound on the planner's finish that accounts for teams and travel.

The chain bound (each region's stages, gaps and blackouts, ignoring teams) is what the
planner proved before; with travel between regions the best schedules finish weeks later,
so the gap it reported said more about the bound than about the plan. This module proves a
stronger bound with a time-indexed linear relaxation (GLOP), without Django.

For a candidate finish ``T`` the relaxation asks for a fractional start day of every
remaining event such that:

- each event starts on a day its region allows: clear of blackouts, no earlier than its
  region's chain of stages, gaps and blackouts permits from ``earliest``, and early
  enough for the stages still to follow it (with their gaps and blackouts) to end by
  ``T``;
- a stage starts only after its prerequisite in the same region has ended plus the gap
  (in the strong "share started by day t" form);
- for every set of stages, at most as many events of that set run on any day as there are
  teams able to deliver one of them, each event counted from its first day to its last day
  plus the least travel a team needs to leave its region.

Every real schedule finishing by ``T`` is a solution, so when the relaxation has none, no
schedule finishes by ``T``; the smallest ``T`` with a solution is the bound. Counting the
travel after an event is sound because a team's next event is either in another region
(at least that many travel days later) or a later stage of the same region (at least the
stage gap later), and the extension is dropped for a region whose gaps are shorter.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from itertools import combinations

from amparo.rollout.planner import (
    PlanInput,
    _first_free_day,
    earliest_starts,
    merged_blackouts,
    stage_order,
    tasks_of,
)

# The relaxation has one variable per event and candidate day; beyond this many it would
# take longer than the search it is meant to help, so the chain bound stands alone.
MAX_VARIABLES = 400_000
# With more stage codes than this, only single stages and all stages together are counted.
MAX_SUBSET_STAGES = 10

Task = tuple[str, str]


def travel_aware_bound(plan: PlanInput, lower: int, upper: int, seconds: float) -> int:
    """The smallest finish (days from ``plan.start``) in ``[lower, upper]`` that the
    relaxation cannot rule out; ``upper`` must be the finish of a known schedule. Stops at
    ``seconds`` and returns what it has proven by then (at least ``lower``)."""
    deadline = time.perf_counter() + seconds
    counting = Counting.of(plan)  # the same for every candidate finish
    while lower < upper:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            break
        middle = (lower + upper) // 2
        # A fresh program per candidate: smaller, and faster than re-solving a large one
        # with many start days closed.
        answer = relaxation_feasible(plan, middle, remaining, counting)
        if answer is None:
            break
        if answer:
            upper = middle
        else:
            lower = middle + 1
    return lower


def travel_allowance(plan: PlanInput) -> dict[str, int]:
    """Days after each event of a region that no other event of the same team can use."""
    codes = [r.code for r in plan.regions]
    allowance = {}
    for region in plan.regions:
        leave = min((plan.travel(region.code, other) for other in codes if other != region.code),
                    default=0)  # fmt: skip
        remaining = {s.code: s for s in plan.stages if s.code not in region.done}
        # Prerequisite links between stages still to do: only these keep events apart.
        links = {code: [a for a in s.after if a in remaining] for code, s in remaining.items()}
        if not _totally_ordered(links):
            leave = 0  # two stages may run back to back in the region with no gap
        gaps = [remaining[code].min_gap_days for code, earlier in links.items() if earlier]
        allowance[region.code] = min([leave, *gaps])
    return allowance


def capacity_sets(plan: PlanInput) -> list[tuple[frozenset[str], int]]:
    """Sets of stages with the number of teams able to deliver at least one of them, keeping
    only the largest set for each number (a larger set with the same teams is stronger)."""
    codes = sorted({s.code for s in plan.stages})
    if len(codes) > MAX_SUBSET_STAGES:
        candidates = [frozenset([c]) for c in codes] + [frozenset(codes)]
    else:
        candidates = [
            frozenset(subset) for n in range(1, len(codes) + 1) for subset in combinations(codes, n)
        ]
    teams = lambda subset: sum(1 for t in plan.teams if t.stages & subset)  # noqa: E731
    return [
        (subset, teams(subset))
        for subset in candidates
        if not any(subset < other and teams(other) == teams(subset) for other in candidates)
    ]


def _totally_ordered(links: dict[str, list[str]]) -> bool:
    """Whether every two stages are ordered by the (acyclic) prerequisite ``links``."""
    before: dict[str, set[str]] = {}

    def ancestors(code: str) -> set[str]:
        if code not in before:
            before[code] = set()
            for prerequisite in links[code]:
                before[code] |= {prerequisite, *ancestors(prerequisite)}
        return before[code]

    return all(a in ancestors(b) or b in ancestors(a) for a, b in combinations(links, 2))


@dataclass(frozen=True)
class Counting:
    """What the relaxation counts that does not depend on the candidate finish."""

    allowance: dict[str, int]  # travel days after each region's events
    heads: dict[Task, int]  # the first day each event can start
    sets: list[tuple[frozenset[str], int]]  # stage sets and the teams able to serve them

    @classmethod
    def of(cls, plan: PlanInput) -> Counting:
        return cls(
            travel_allowance(plan),
            {task: (day - plan.start).days for task, day in earliest_starts(plan).items()},
            capacity_sets(plan),
        )


def latest_starts(plan: PlanInput, finish: int) -> dict[Task, int]:
    """The last day (from the start) each event can start and still leave its region's
    later stages, gaps and blackouts room to end by ``finish``; negative when none can."""
    stages = {s.code: s for s in plan.stages}
    latest: dict[Task, int] = {}
    for region in plan.regions:
        blackouts = [
            ((first - plan.start).days, (last - plan.start).days)
            for first, last in merged_blackouts(region.blackouts)
        ]
        starts: dict[str, int] = {}
        for code in reversed(stage_order(plan.stages)):
            if code in region.done:
                continue
            stage, end = stages[code], finish
            for other in plan.stages:
                if code in other.after and other.code in starts:
                    end = min(end, starts[other.code] - other.min_gap_days)
            day = end - stage.days
            for first, last in reversed(blackouts):  # later ones first: one pass suffices
                if day <= last and first < day + stage.days:
                    day = first - stage.days
            starts[code] = latest[(region.code, code)] = day
    return latest


def relaxation_feasible(
    plan: PlanInput, finish: int, seconds: float, counting: Counting | None = None
) -> bool | None:
    """Whether the relaxation has a solution ending by ``finish`` (days from the start);
    None when it is too large or undecided within ``seconds``."""
    from ortools.linear_solver import pywraplp

    counting = counting or Counting.of(plan)
    regions = {r.code: r for r in plan.regions}
    stages = {s.code: s for s in plan.stages}
    allowance = counting.allowance
    latest = latest_starts(plan, finish)
    days: dict[Task, list[int]] = {}
    for region_code, stage in tasks_of(plan):
        region = regions[region_code]
        first = counting.heads[(region_code, stage.code)]
        last = latest[(region_code, stage.code)]
        days[(region_code, stage.code)] = [
            t
            for t in range(first, last + 1)
            if _first_free_day(region, plan.start + timedelta(days=t), stage.days)
            == plan.start + timedelta(days=t)
        ]
        if not days[(region_code, stage.code)]:
            return False  # no day left for this event
    if sum(len(d) for d in days.values()) * 2 > MAX_VARIABLES:
        return None
    solver = pywraplp.Solver.CreateSolver("GLOP")
    starts = {task: {t: solver.NumVar(0, 1, "") for t in ts} for task, ts in days.items()}
    for variables in starts.values():
        row = solver.Constraint(1, 1)
        for variable in variables.values():
            row.SetCoefficient(variable, 1)
    # started[task][t]: the share of the task started on or before day t.
    started: dict[Task, dict[int, object]] = {}
    for task, variables in starts.items():
        running, shares = None, {}
        for t in range(min(variables), max(variables) + 1):
            share = solver.NumVar(0, 1, "")
            row = solver.Constraint(0, 0)
            row.SetCoefficient(share, 1)
            if running is not None:
                row.SetCoefficient(running, -1)
            if t in variables:
                row.SetCoefficient(variables[t], -1)
            shares[t] = running = share
        started[task] = shares
    for (region_code, code), shares in started.items():
        stage = stages[code]
        for prerequisite in stage.after:
            earlier = started.get((region_code, prerequisite))
            if earlier is None:
                continue  # done already
            lag = stages[prerequisite].days + stage.min_gap_days
            for t, share in shares.items():
                if t - lag >= max(earlier):
                    break  # the prerequisite has wholly started by then
                row = solver.Constraint(-solver.infinity(), 0)
                row.SetCoefficient(share, 1)
                if t - lag >= min(earlier):
                    row.SetCoefficient(earlier[t - lag], -1)
    horizon = finish + max(allowance.values(), default=0) + 1
    for subset, teams in counting.sets:
        members = [task for task in starts if task[1] in subset]
        if teams >= len(members):
            continue
        per_day: list[list[object]] = [[] for _ in range(horizon)]
        for task in members:
            length = stages[task[1]].days + allowance[task[0]]
            for t, variable in starts[task].items():
                for d in range(t, min(t + length, horizon)):
                    per_day[d].append(variable)
        for variables in per_day:
            if len(variables) > teams:
                row = solver.Constraint(-solver.infinity(), teams)
                for variable in variables:
                    row.SetCoefficient(variable, 1)
    solver.SetTimeLimit(max(1, int(seconds * 1000)))
    status = solver.Solve()
    if status == pywraplp.Solver.OPTIMAL:
        return True
    if status == pywraplp.Solver.INFEASIBLE:
        return False
    return None
