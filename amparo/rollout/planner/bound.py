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
  teams able to deliver one of them.

Two kinds of program count that last rule. One set of stages alone (``Counting.parts``)
places only the set's events and counts each from its first day until the first day its
team could start another event of the set (``successors``: for the start day in question,
over every such event the team may hold next, inside that event's window, after the
shortest travel; until ``T`` when none can follow); each team's events of the set, so
stretched, never overlap. All the sets together count each event to its last day plus the
least travel a team needs to leave its region (``travel_allowance``), sound because a
team's next event is either in another region (at least that many travel days later) or a
later stage of the same region (at least the stage gap later), and dropped for a region
whose gaps are shorter; the ties would make this, the largest program, several times
costlier.

Every real schedule finishing by ``T`` is a solution of each, so when one has none, no
schedule finishes by ``T``; the smallest ``T`` with a solution is the bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import timedelta
from itertools import combinations
from typing import TYPE_CHECKING

from amparo.rollout.planner.model import PlanInput
from amparo.rollout.planner.rules import (
    Task,
    earliest_starts,
    first_free_day,
    latest_starts,
    tasks_of,
)
from amparo.rollout.planner.successors import successor_lags, tied_until
from amparo.rollout.planner.work import (
    LP_BUILD_ITERATIONS_PER_VARIABLE,
    LP_MIN_ITERATIONS_SHARE,
    LP_REFERENCE_VARIABLES,
    TIED_CELLS_PER_ITERATION,
)

if TYPE_CHECKING:
    from ortools.linear_solver import pywraplp

# The relaxation has one variable per event and candidate day; beyond this many it would
# take longer than the search it is meant to help, so the chain bound stands alone.
MAX_VARIABLES = 400_000
# With more stage codes than this, only single stages and all stages together are counted.
MAX_SUBSET_STAGES = 10
# A set of stages is tried alone only when at most this many teams deliver it: those few
# teams must travel to every region for it, which is what such a program sees. On the
# five-team benchmark plans every stage has three or more teams, the programs alone
# proved less than all the sets together, and took the work it needed (100 regions,
# random seed 2: 240 instead of 254).
PART_TEAMS = 2


def travel_aware_bound(
    plan: PlanInput,
    lower: int,
    upper: int,
    seconds: float,
    should_stop: Callable[[], bool] | None = None,
    iterations: int | None = None,
) -> int:
    """The smallest finish (days from ``plan.start``) in ``[lower, upper]`` that the
    relaxation cannot rule out; ``upper`` must be the finish of a known schedule. Stops at
    ``seconds`` (or when ``should_stop``, asked between candidates, says so, or, when
    given, after ``iterations`` simplex iterations in all, a program larger than the
    25-region benchmark's counting more per iteration, and building one counting too: a
    limit that, unlike the clock, gives the same bound on any machine) and returns what it
    has proven by then (at least ``lower``)."""
    deadline = time.perf_counter() + seconds
    counting = Counting.of(plan)  # the same for every candidate finish
    used = [0.0]
    # Each set of stages alone first, the smallest first: a program with one set's rows is
    # a relaxation too, and much cheaper, so it raises ``lower`` for little work (on the
    # two-team plans the conferences' team alone proves as much as everything together).
    # The next sets likely prove little more than the one before: they try ``lower``, then
    # 1, 3, 7, ... days above, before halving what is left (a binary search from ``upper``
    # spent most of its work on candidates far above the answer). Then all the sets
    # together, by binary search from there with what is left: this program, counting
    # less travel, proves more only on some plans, and is cheap far from its answer.
    parts = [*counting.parts(), counting]
    for number, part in enumerate(parts):
        top, step = upper, 0 if 0 < number < len(parts) - 1 else None
        while lower < top:
            remaining = deadline - time.perf_counter()
            if remaining <= 0 or (should_stop is not None and should_stop()):
                return lower
            if iterations is not None and used[0] >= iterations:
                return lower
            if step is None:
                candidate = (lower + top) // 2
            else:
                candidate = min(lower + step, (lower + top) // 2)
                step = 2 * step + 1
            # A fresh program per candidate: smaller, and faster than re-solving a large
            # one with many start days closed.
            left = None if iterations is None else iterations - used[0]
            answer = relaxation_feasible(plan, candidate, remaining, part, left, used)
            if answer is None:
                return lower
            if answer:
                top, step = candidate, None
            else:
                lower = candidate + 1
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
    # The events a team may hold after each event, with the least days between the starts
    # (``successors``): with the candidate days they say how long the team stays tied.
    lags: dict[Task, list[tuple[Task, int]]]
    # The same for each set of ``sets``: the next event of the set its team may hold.
    set_lags: list[dict[Task, list[tuple[Task, int]]]]
    # For one set's program (``parts``): the stages whose events it places; None for all.
    only: frozenset[str] | None = None

    @classmethod
    def of(cls, plan: PlanInput) -> Counting:
        sets = capacity_sets(plan)
        return cls(
            travel_allowance(plan),
            {task: (day - plan.start).days for task, day in earliest_starts(plan).items()},
            sets,
            successor_lags(plan),
            [successor_lags(plan, subset) for subset, _ in sets],
        )

    def parts(self) -> list[Counting]:
        """The counting of each set of stages alone, by the number of its events, all but
        the largest (whose program costs about as much as all of them together), and only
        sets with more events than teams and at most ``PART_TEAMS`` teams; none when
        there is only one set. Such a program places only the set's events (the
        others' windows already follow from their regions' chains)."""
        members = lambda subset: sum(1 for _, code in self.heads if code in subset)  # noqa: E731
        order = sorted(range(len(self.sets)), key=lambda i: (members(self.sets[i][0]), i))
        return [
            replace(
                self,
                sets=[self.sets[i]],
                lags={t: o for t, o in self.lags.items() if t[1] in self.sets[i][0]},
                set_lags=[self.set_lags[i]],
                only=self.sets[i][0],
            )
            for i in order[:-1]
            if self.sets[i][1] < members(self.sets[i][0]) and self.sets[i][1] <= PART_TEAMS
        ]


def relaxation_feasible(
    plan: PlanInput,
    finish: int,
    seconds: float,
    counting: Counting | None = None,
    iterations: float | None = None,
    used: list[float] | None = None,
) -> bool | None:
    """Whether the relaxation has a solution ending by ``finish`` (days from the start);
    None when it is too large or undecided within ``seconds`` (or ``iterations`` simplex
    iterations, counted as ``travel_aware_bound`` says; what it took is added to
    ``used[0]``)."""
    counting = counting or Counting.of(plan)
    days = candidate_days(plan, finish, counting)
    if any(not candidates for candidates in days.values()):
        return False  # no day left for some event
    placed = {
        task: ts for task, ts in days.items() if counting.only is None or task[1] in counting.only
    }
    size = sum(len(candidates) for candidates in placed.values())
    if size * 2 > MAX_VARIABLES:
        return None
    # Counted work: a larger program costs more to build and per iteration, so both are
    # counted in iterations of a program of the 25-region benchmark's size.
    scale = max(1.0, size / LP_REFERENCE_VARIABLES)
    build = size * LP_BUILD_ITERATIONS_PER_VARIABLE
    if iterations is not None and (iterations - build) / scale < size * LP_MIN_ITERATIONS_SHARE:
        return None  # too little left to solve it: building it would be wasted
    if counting.only is None:
        # All the sets together: each event counted to its last day plus the least travel
        # out of its region. The ties below would make this program, the largest, several
        # times costlier (on 50 regions 15,000 iterations a candidate instead of 3,000),
        # and the sets alone prove with them what it would.
        stages = {s.code: s for s in plan.stages}
        set_until = [
            {
                task: {t: t + stages[task[1]].days + counting.allowance[task[0]] for t in ts}
                for task, ts in days.items()
            }
        ] * len(counting.sets)
        return _solve(plan, placed, counting, set_until, seconds, iterations, used, size, build)
    until, cells = tied_until(counting.lags, days, finish)
    set_until = []
    for lags in counting.set_lags:
        within, more = tied_until(lags, days, finish)
        cells += more
        # Both hold: the team's next event of any stage, and its next one of the set.
        set_until.append({task: {t: max(end, until[task][t]) for t, end in ends.items()}
                          for task, ends in within.items()})  # fmt: skip
    build += cells / TIED_CELLS_PER_ITERATION
    return _solve(plan, placed, counting, set_until, seconds, iterations, used, size, build)


def _solve(
    plan: PlanInput,
    placed: dict[Task, list[int]],
    counting: Counting,
    set_until: list[dict[Task, dict[int, int]]],
    seconds: float,
    iterations: float | None,
    used: list[float] | None,
    size: int,
    build: float,
) -> bool | None:
    """Build and solve the program of ``relaxation_feasible``."""
    # Loaded here, when a bound is proven: OR-Tools costs every process that imports it
    # tens of megabytes, and the web processes that only show plans never need it.
    from ortools.linear_solver import pywraplp

    scale = max(1.0, size / LP_REFERENCE_VARIABLES)
    solver = pywraplp.Solver.CreateSolver("GLOP")
    starts = {task: {t: solver.NumVar(0, 1, "") for t in ts} for task, ts in placed.items()}
    for variables in starts.values():
        _add_row(solver, 1, 1, variables.values())
    started = {task: _started_by(solver, variables) for task, variables in starts.items()}
    _add_precedence_rows(solver, plan, started)
    _add_capacity_rows(solver, plan, starts, counting, set_until)
    solver.SetTimeLimit(max(1, int(seconds * 1000)))
    if iterations is not None:
        limit = max(1, int((iterations - build) / scale))
        solver.SetSolverSpecificParametersAsString(f"max_number_of_iterations: {limit}")
    status = solver.Solve()
    if used is not None:
        used[0] += build + solver.iterations() * scale
    if status == pywraplp.Solver.OPTIMAL:
        return True
    if status == pywraplp.Solver.INFEASIBLE:
        return False
    return None


def candidate_days(plan: PlanInput, finish: int, counting: Counting) -> dict[Task, list[int]]:
    """The days (from the start) each event may start on to end by ``finish``: inside its
    window and clear of its region's blackouts; an empty list when there is none."""
    regions = {r.code: r for r in plan.regions}
    latest = latest_starts(plan, finish)
    days: dict[Task, list[int]] = {}
    for region_code, stage in tasks_of(plan):
        task = (region_code, stage.code)
        days[task] = [
            t
            for t in range(counting.heads[task], latest[task] + 1)
            if first_free_day(regions[region_code], plan.start + timedelta(days=t), stage.days)
            == plan.start + timedelta(days=t)
        ]
        if not days[task]:
            break  # nothing can end by ``finish``: no need to look further
    return days


def _add_row(
    solver: pywraplp.Solver, low: float, high: float, variables: Iterable[pywraplp.Variable]
) -> None:
    """``low <= sum(variables) <= high``."""
    row = solver.Constraint(low, high)
    for variable in variables:
        row.SetCoefficient(variable, 1)


def _started_by(
    solver: pywraplp.Solver, starts: dict[int, pywraplp.Variable]
) -> dict[int, pywraplp.Variable]:
    """Per day t from the first candidate to the last: a variable for the share of the
    event started on or before day t."""
    running, shares = None, {}
    for t in range(min(starts), max(starts) + 1):
        share = solver.NumVar(0, 1, "")
        row = solver.Constraint(0, 0)
        row.SetCoefficient(share, 1)
        if running is not None:
            row.SetCoefficient(running, -1)
        if t in starts:
            row.SetCoefficient(starts[t], -1)
        shares[t] = running = share
    return shares


def _add_precedence_rows(
    solver: pywraplp.Solver, plan: PlanInput, started: dict[Task, dict[int, pywraplp.Variable]]
) -> None:
    """A stage's share started by day t is at most its prerequisite's share started by
    t minus the prerequisite's days and the gap (the strong form of precedence)."""
    stages = {s.code: s for s in plan.stages}
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


def _add_capacity_rows(
    solver: pywraplp.Solver,
    plan: PlanInput,
    starts: dict[Task, dict[int, pywraplp.Variable]],
    counting: Counting,
    set_until: list[dict[Task, dict[int, int]]],
) -> None:
    """On every day, for every counted set of stages, no more events of the set run (from
    their first day until the first day their team could start another event, ``until``)
    than there are teams able to deliver one of them."""
    ends = (end for until in set_until for per_day in until.values() for end in per_day.values())
    horizon = max(ends, default=0) + 1
    for (subset, teams), until in zip(counting.sets, set_until, strict=True):
        members = [task for task in starts if task[1] in subset]
        if teams >= len(members):
            continue
        per_day: list[list[pywraplp.Variable]] = [[] for _ in range(horizon)]
        for task in members:
            for t, variable in starts[task].items():
                for d in range(t, until[task][t]):
                    per_day[d].append(variable)
        for variables in per_day:
            if len(variables) > teams:
                _add_row(solver, -solver.infinity(), teams, variables)
