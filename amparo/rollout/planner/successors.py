"""How long a team stays tied to an event: until the first day its next event can start.

Pure Python and numpy, no Django. The bound's relaxation (``bound``) counts each event
from its first day to the first day its team could start another event. Once the start
day ``t`` of an event is fixed, its team's next event ``e'`` (if any) is one the team may
deliver, not one that must come before it, and it starts on a day its window allows
(``candidate_days``) no earlier than ``t`` plus the event's days and the travel to ``e'``
(or, in the same region, plus the stages, gaps and days between them). So the team is
tied up until the least such day over every possible ``e'``; and when no event can follow,
the team has nothing left to do and is tied up until the candidate finish. Every real
schedule keeps each team's stretched events apart, which is all the counting needs.

Unlike one travel allowance per region (the least travel out of it), this one sees the
time windows: late in the plan most events can no longer be followed by the nearby ones,
whose windows have passed, and the last events hold their teams to the end.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import numpy as np

from amparo.rollout.planner.model import PlanInput, StageInput
from amparo.rollout.planner.rules import Task, tasks_of

# A start day beyond every window: "no such day".
_NONE = np.iinfo(np.int32).max


def successor_lags(
    plan: PlanInput, within: frozenset[str] | None = None
) -> dict[Task, list[tuple[Task, int]]]:
    """For each event, the events its team may hold next, each with the least number of
    days from the event's start to that next event's start. With ``within`` (a set of
    stages): for the events of those stages, the ones its team may hold next *among them*,
    with other events possibly in between, so with the shortest travel over any chain of
    regions."""
    stages = {s.code: s for s in plan.stages}
    tasks = [(region, stage.code) for region, stage in tasks_of(plan)]
    regions = {r.code: r for r in plan.regions}
    travel = shortest_travel(plan) if within is not None else None
    lags: dict[Task, list[tuple[Task, int]]] = {}
    for task in tasks:
        region, code = task
        if within is not None and code not in within:
            continue  # counted only with the events of the set
        following = _stage_lags(plan.stages, frozenset(regions[region].done))
        options = []
        for other in tasks:
            other_region, other_code = other
            if within is not None and other_code not in within:
                continue
            if other == task or not any(code in t.stages and other_code in t.stages
                                        for t in plan.teams):  # fmt: skip
                continue  # no team delivers both
            if other_region != region:
                days = travel[region][other_region] if travel else plan.travel(region, other_region)
                lag = stages[code].days + days
            elif (other_code, code) in following:
                continue  # it comes before this one in the region
            else:
                lag = following.get((code, other_code), stages[code].days)
            options.append((other, lag))
        lags[task] = options
    return lags


def shortest_travel(plan: PlanInput) -> dict[str, dict[str, int]]:
    """The least days from each region to each other one over any chain of regions: a
    team never gets from one event to another sooner."""
    codes = [r.code for r in plan.regions]
    least = least_travel([[plan.travel(a, b) for b in codes] for a in codes])
    return {a: dict(zip(codes, row, strict=True)) for a, row in zip(codes, least, strict=True)}


def least_travel(travel: list[list[int]]) -> list[list[int]]:
    """The least travel between every two regions (rows and columns in the same order),
    directly or through others (Floyd-Warshall)."""
    size = len(travel)
    least = [list(row) for row in travel]
    for via in range(size):
        through = least[via]
        for a in range(size):
            row, to_via = least[a], least[a][via]
            for b in range(size):
                if to_via + through[b] < row[b]:
                    row[b] = to_via + through[b]
    return least


@cache
def _stage_lags(
    playbook: tuple[StageInput, ...], done: frozenset[str]
) -> dict[tuple[str, str], int]:
    """(earlier, later) stage codes still to do in a region whose ``done`` stages are
    those, with the longest chain of days and gaps from the earlier's start to the later's
    start (a done stage counts as satisfied, so chains run only through stages to do)."""
    stages = {s.code: s for s in playbook if s.code not in done}
    longest: dict[tuple[str, str], int] = {}
    changed = True
    while changed:  # longest paths in a small acyclic graph: relax until nothing changes
        changed = False
        for later in stages.values():
            for earlier in later.after:
                if earlier not in stages:
                    continue
                step = stages[earlier].days + later.min_gap_days
                pairs = [((earlier, later.code), step)] + [
                    ((first, later.code), lag + step)
                    for (first, second), lag in list(longest.items())
                    if second == earlier
                ]
                for pair, lag in pairs:
                    if longest.get(pair, -1) < lag:
                        longest[pair], changed = lag, True
    return longest


def tied_until(
    lags: Mapping[Task, list[tuple[Task, int]]],
    days: Mapping[Task, list[int]],
    finish: int,
) -> tuple[dict[Task, dict[int, int]], int]:
    """For each event of ``lags`` and each candidate start day (``days``, those that end by
    ``finish``), the first day its team may start one of the next events ``lags`` names
    (``finish`` when none may follow); and how many (event, next event, start day) cells
    that took, the work."""
    order = list(days)
    index = {task: i for i, task in enumerate(order)}
    longest = max((lag for options in lags.values() for _, lag in options), default=0)
    width = finish + longest + 2
    # next_day[i, x]: the first candidate day of event i on or after day x.
    next_day = np.full((len(order), width), _NONE, dtype=np.int64)
    positions = np.arange(width)
    for i, task in enumerate(order):
        candidates = np.asarray(days[task], dtype=np.int64)
        found = np.searchsorted(candidates, positions)
        inside = found < len(candidates)
        next_day[i, inside] = candidates[found[inside]]
    until: dict[Task, dict[int, int]] = {}
    cells = 0
    for task in order:
        if task not in lags:
            continue
        starts = np.asarray(days[task], dtype=np.int64)
        # Every possible next event must be looked at (``days`` has them all): leaving one
        # out would tie the team too long.
        options = [(index[other], lag) for other, lag in lags[task]]
        if options and len(starts):
            others = np.asarray([i for i, _ in options])
            shifts = np.asarray([lag for _, lag in options])
            at = np.minimum(starts[None, :] + shifts[:, None], width - 1)
            first = next_day[others[:, None], at].min(axis=0)
            cells += len(options) * len(starts)
        else:
            first = np.full(len(starts), _NONE, dtype=np.int64)
        first = np.where(first == _NONE, finish, first)
        until[task] = {int(t): int(end) for t, end in zip(starts, first, strict=True)}
    return until, cells
