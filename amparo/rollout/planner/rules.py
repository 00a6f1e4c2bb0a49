"""The schedule's rules (see ``model``), checked and applied without a solver.

Pure Python; no Django import. ``violations`` checks a schedule against every rule
independently of how it was found; the rest are the pieces the greedy schedules, the local
search, the lower bound and the CP-SAT model share: each event's window (``earliest_starts``
/ ``latest_starts``), blackouts (``merged_blackouts``, ``first_free_day``), the chain of
stages still to come (``stage_tails``), and the naive schedule the answer is compared with
(``sequential_schedule``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from itertools import pairwise

from amparo.rollout.planner.model import (
    PlanInput,
    PlannedEvent,
    RegionInput,
    StageInput,
    stage_order,
)

Task = tuple[str, str]  # (region code, stage code)


def tasks_of(plan: PlanInput) -> list[tuple[str, StageInput]]:
    """(region, stage) pairs that still need an event."""
    return [(r.code, s) for r in plan.regions for s in plan.stages if s.code not in r.done]


def violations(plan: PlanInput, events: Sequence[PlannedEvent]) -> list[str]:
    """Every rule of ``model``'s docstring that ``events`` break; empty for a valid plan."""
    problems = []
    regions = {r.code: r for r in plan.regions}
    stages = {s.code: s for s in plan.stages}
    teams = {t.code: t for t in plan.teams}
    by_task = {(e.region, e.stage): e for e in events}
    expected = {(r, s.code) for r, s in tasks_of(plan)}
    if set(by_task) != expected or len(events) != len(expected):
        problems.append("the events do not cover each remaining (region, stage) exactly once")
    for e in events:
        region, stage = regions.get(e.region), stages.get(e.stage)
        if region is None or stage is None or e.team not in teams:
            problems.append(f"{e}: unknown region, stage or team")
            continue
        if (e.end - e.start).days != stage.days:
            problems.append(f"{e}: lasts {(e.end - e.start).days} days, not {stage.days}")
        if e.start < region.earliest:
            problems.append(f"{e}: starts before the region's earliest date")
        if e.stage not in teams[e.team].stages:
            problems.append(f"{e}: team {e.team} cannot deliver {e.stage}")
        if _overlaps_blackout(region, e.start, e.end):
            problems.append(f"{e}: overlaps a blackout")
        for prerequisite in stage.after:
            if prerequisite in region.done:
                continue
            before = by_task.get((e.region, prerequisite))
            if before and e.start < before.end + timedelta(days=stage.min_gap_days):
                problems.append(f"{e}: starts too soon after {prerequisite}")
    for team in teams:
        mine = sorted((e for e in events if e.team == team), key=lambda e: (e.start, e.end))
        for a, b in pairwise(mine):
            if b.start < a.end + timedelta(days=plan.travel(a.region, b.region)):
                problems.append(f"team {team}: {a} and {b} overlap or leave no time to travel")
    return problems


def _overlaps_blackout(region: RegionInput, start: date, end: date) -> bool:
    return any(start <= last and first < end for first, last in region.blackouts)


def merged_blackouts(blackouts: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Blackouts sorted, with overlapping or touching ones joined into one."""
    merged: list[tuple[date, date]] = []
    for first, last in sorted(blackouts):
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def first_free_day(region: RegionInput, day: date, days: int) -> date:
    """The first day on or after ``day`` when a ``days``-long event avoids every blackout."""
    moved = True
    while moved:
        moved = False
        for first, last in region.blackouts:
            if day <= last and first < day + timedelta(days=days):
                day = last + timedelta(days=1)
                moved = True
    return day


def earliest_starts(plan: PlanInput) -> dict[Task, date]:
    """The first day each remaining (region, stage) event can start: its region's chain of
    stages, gaps and blackouts from the region's earliest day, ignoring teams and travel."""
    stages = {s.code: s for s in plan.stages}
    starts = {}
    for region in plan.regions:
        ends: dict[str, date] = {}
        for code in stage_order(plan.stages):
            if code in region.done:
                continue
            stage = stages[code]
            begin = region.earliest
            for prerequisite in stage.after:
                if prerequisite in ends:
                    begin = max(begin, ends[prerequisite] + timedelta(days=stage.min_gap_days))
            begin = first_free_day(region, begin, stage.days)
            starts[(region.code, code)] = begin
            ends[code] = begin + timedelta(days=stage.days)
    return starts


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


def critical_path_finish(plan: PlanInput) -> date:
    """A finish no schedule can beat: every event as early as its region's chain allows."""
    days = {s.code: s.days for s in plan.stages}
    ends = [
        begin + timedelta(days=days[code]) for (_r, code), begin in earliest_starts(plan).items()
    ]
    return max(ends, default=plan.start)


def stage_tails(plan: PlanInput) -> dict[str, int]:
    """Days from a stage's start to the end of the longest chain of stages after it: how
    much of a region's work still hangs on the stage."""
    stages = {s.code: s for s in plan.stages}
    tails: dict[str, int] = {}
    for code in reversed(stage_order(plan.stages)):
        following = [s.min_gap_days + tails[s.code] for s in plan.stages if code in s.after]
        tails[code] = stages[code].days + max(following, default=0)
    return tails


def sequential_schedule(plan: PlanInput) -> list[PlannedEvent]:
    """One region at a time, one event at a time, as early as each rule allows: the way the
    program worked so far, kept as the baseline to compare against. Regions go in order of
    their earliest date; each event goes to the first team able to deliver it."""
    order = stage_order(plan.stages)
    stages = {s.code: s for s in plan.stages}
    events: list[PlannedEvent] = []
    clock, where = plan.start, None
    for region in sorted(plan.regions, key=lambda r: (r.earliest, r.code)):
        ends: dict[str, date] = {}
        for code in order:
            if code in region.done:
                continue
            stage = stages[code]
            day = max(clock, region.earliest)
            if where is not None:
                day = max(day, clock + timedelta(days=plan.travel(where, region.code)))
            for prerequisite in stage.after:
                if prerequisite in ends:
                    day = max(day, ends[prerequisite] + timedelta(days=stage.min_gap_days))
            day = first_free_day(region, day, stage.days)
            team = next(t.code for t in plan.teams if code in t.stages)
            end = day + timedelta(days=stage.days)
            events.append(PlannedEvent(region.code, code, team, day, end))
            ends[code] = end
            clock, where = end, region.code
    return events


def is_metric(plan: PlanInput) -> bool:
    """Whether going straight between two regions is never slower than via a third one."""
    codes = [r.code for r in plan.regions]
    return all(
        plan.travel(a, c) <= plan.travel(a, b) + plan.travel(b, c)
        for a in codes
        for b in codes
        for c in codes
    )
