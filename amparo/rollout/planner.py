"""The rollout planner: how fast can the playbook be reproduced in the remaining regions?

Pure Python plus OR-Tools CP-SAT; no Django import. ``plan_rollout`` takes a ``PlanInput``
and returns a ``PlanResult``; ``parse_plan_input`` / ``result_to_json`` translate the JSON
form that ``amparo plan`` and the API speak.

Time is counted in whole calendar days from ``start``. An event occupies the half-open
interval [start, start + days). A blackout ``[first, last]`` names the days on which no
event may be held, both ends included. ``min_gap_days`` runs from the end of each
prerequisite to the start of the stage, in the same region. A team holds one event at a
time; between its consecutive events in regions A then B it needs ``travel_days[A][B]``
(or ``[B][A]`` when only that is given; 0 within a region). Stages listed as ``done`` for
a region are not scheduled there and count as satisfied prerequisites (the region's
``earliest`` already reflects when they ended).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

STATUS_OPTIMAL, STATUS_FEASIBLE, STATUS_INFEASIBLE = "optimal", "feasible", "infeasible"
# Parts of the time limit: greedy starting schedules, then proving the travel-aware lower
# bound (it stops as soon as it is done), then improving the best start by local search
# until SEARCH_UNTIL of the limit has passed; the CP-SAT search gets the rest. On the
# benchmark the local search (in two processes) finds more in that time than CP-SAT does.
HINT_SHARE_OF_TIME = 0.1
BOUND_SHARE_OF_TIME = 0.35
SEARCH_UNTIL = 0.9


class PlanInputError(ValueError):
    """The input cannot be planned; the message names the problem."""


@dataclass(frozen=True)
class StageInput:
    code: str
    days: int
    after: tuple[str, ...] = ()
    min_gap_days: int = 0


@dataclass(frozen=True)
class RegionInput:
    code: str
    earliest: date
    blackouts: tuple[tuple[date, date], ...] = ()
    done: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamInput:
    code: str
    stages: frozenset[str]


@dataclass(frozen=True)
class PlanInput:
    start: date
    regions: tuple[RegionInput, ...]
    stages: tuple[StageInput, ...]
    teams: tuple[TeamInput, ...]
    travel_days: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    time_limit_s: float = 10.0

    def travel(self, a: str, b: str) -> int:
        """Days a team needs between an event in ``a`` and its next event in ``b``."""
        if a == b:
            return 0
        if b in self.travel_days.get(a, {}):
            return self.travel_days[a][b]
        return self.travel_days.get(b, {}).get(a, 0)


@dataclass(frozen=True)
class PlannedEvent:
    region: str
    stage: str
    team: str
    start: date
    end: date  # exclusive: the day after the last day


@dataclass(frozen=True)
class PlanResult:
    status: str
    finish: date | None
    lower_bound: date | None
    baseline_sequential_finish: date | None
    events: tuple[PlannedEvent, ...]
    solve_seconds: float = 0.0

    @property
    def gap_days(self) -> int | None:
        if self.finish is None or self.lower_bound is None:
            return None
        return (self.finish - self.lower_bound).days


# --- parsing and validation --------------------------------------------------------------


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PlanInputError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _int(value: Any, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise PlanInputError(f"{where}: expected a whole number >= {minimum}, got {value!r}")
    return value


def parse_plan_input(raw: Mapping[str, Any]) -> PlanInput:
    """Build and validate a ``PlanInput`` from the JSON form; raises ``PlanInputError``
    naming the bad part for any input it cannot use, whatever its shape."""
    if not isinstance(raw, Mapping):
        raise PlanInputError("the input must be a JSON object")
    for key in ("start", "regions", "stages", "teams"):
        if key not in raw:
            raise PlanInputError(f"missing {key!r}")
    start = _date(raw["start"], "start")
    stages = tuple(
        StageInput(
            code=str(s.get("code", "")),
            days=_int(s.get("days"), f"stage {s.get('code')!r} days", minimum=1),
            after=_codes(s.get("after", []), f"stage {s.get('code')!r} after"),
            min_gap_days=_int(s.get("min_gap_days", 0), f"stage {s.get('code')!r} min_gap_days"),
        )
        for s in _objects(raw["stages"], "stages")
    )
    regions = []
    for r in _objects(raw["regions"], "regions"):
        code = str(r.get("code", ""))
        blackouts = []
        raw_blackouts = r.get("blackouts", [])
        if not isinstance(raw_blackouts, list):
            raise PlanInputError(f"region {code!r}: blackouts must be a list of [first, last]")
        for pair in raw_blackouts:
            if not isinstance(pair, list | tuple) or len(pair) != 2:
                raise PlanInputError(f"region {code!r}: a blackout is a pair [first, last]")
            first = _date(pair[0], f"region {code!r} blackout")
            last = _date(pair[1], f"region {code!r} blackout")
            blackouts.append((first, last))
        earliest = _date(r["earliest"], f"region {code!r} earliest") if "earliest" in r else start
        regions.append(
            RegionInput(
                code=code,
                earliest=earliest,
                blackouts=tuple(blackouts),
                done=_codes(r.get("done", []), f"region {code!r} done"),
            )
        )
    teams = tuple(
        TeamInput(
            code=str(t.get("code", "")),
            stages=frozenset(_codes(t.get("stages", []), f"team {t.get('code')!r} stages")),
        )
        for t in _objects(raw["teams"], "teams")
    )
    travel: dict[str, dict[str, int]] = {}
    raw_travel = raw.get("travel_days", {}) or {}
    if not isinstance(raw_travel, Mapping):
        raise PlanInputError("travel_days must map region codes to {region code: days}")
    for a, row in raw_travel.items():
        if not isinstance(row, Mapping):
            raise PlanInputError(f"travel_days[{a!r}] must map region codes to days")
        travel[str(a)] = {
            str(b): _int(days, f"travel_days[{a!r}][{b!r}]") for b, days in row.items()
        }
    limit = raw.get("time_limit_s", 10)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 < limit <= 600:
        raise PlanInputError(f"time_limit_s must be between 0 and 600 seconds, got {limit!r}")
    plan = PlanInput(start, tuple(regions), stages, teams, travel, float(limit))
    validate(plan)
    return plan


def _codes(value: Any, where: str) -> tuple[str, ...]:
    """A list of codes (text or numbers, read as text)."""
    if not isinstance(value, list) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in value
    ):
        raise PlanInputError(f"{where}: expected a list of codes, got {value!r}")
    return tuple(str(v) for v in value)


def _objects(value: Any, name: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise PlanInputError(f"{name} must be a list of objects")
    return value


def stage_order(stages: Sequence[StageInput]) -> list[str]:
    """Stage codes in an order where prerequisites come first; raises on a cycle."""
    after = {s.code: set(s.after) for s in stages}
    ordered: list[str] = []
    ready = [s.code for s in stages if not after[s.code]]
    while ready:
        code = ready.pop(0)
        ordered.append(code)
        for other in stages:
            if code in after[other.code]:
                after[other.code].discard(code)
                if not after[other.code] and other.code not in ordered:
                    ready.append(other.code)
    if len(ordered) != len(stages):
        cycle = sorted(code for code, rest in after.items() if rest)
        raise PlanInputError(f"the stages' prerequisites form a cycle: {', '.join(cycle)}")
    return ordered


def validate(plan: PlanInput) -> None:
    """Raise ``PlanInputError`` naming the first problem that makes ``plan`` unplannable."""
    if not plan.regions:
        raise PlanInputError("there are no regions to plan")
    if not plan.stages:
        raise PlanInputError("there are no stages to plan")
    if not plan.teams:
        raise PlanInputError("there are no teams")
    for kind, codes in (
        ("stage", [s.code for s in plan.stages]),
        ("region", [r.code for r in plan.regions]),
        ("team", [t.code for t in plan.teams]),
    ):
        if any(not c for c in codes):
            raise PlanInputError(f"every {kind} needs a code")
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise PlanInputError(f"{kind} code repeated: {', '.join(duplicates)}")
    known = {s.code for s in plan.stages}
    for stage in plan.stages:
        unknown = [a for a in stage.after if a not in known]
        if unknown:
            raise PlanInputError(f"stage {stage.code!r} comes after unknown stage {unknown[0]!r}")
    stage_order(plan.stages)
    for team in plan.teams:
        unknown = sorted(team.stages - known)
        if unknown:
            raise PlanInputError(f"team {team.code!r} names unknown stage {unknown[0]!r}")
    for region in plan.regions:
        if region.earliest < plan.start:
            raise PlanInputError(f"region {region.code!r} starts before the plan's start date")
        for first, last in region.blackouts:
            if last < first:
                raise PlanInputError(
                    f"region {region.code!r}: blackout ends ({last}) before it begins ({first})"
                )
        unknown_done = [d for d in region.done if d not in known]
        if unknown_done:
            raise PlanInputError(f"region {region.code!r}: unknown done stage {unknown_done[0]!r}")
        for stage in plan.stages:
            if stage.code in region.done:
                continue
            if not any(stage.code in t.stages for t in plan.teams):
                raise PlanInputError(
                    f"no team can deliver stage {stage.code!r}, so region {region.code!r} "
                    "cannot be served"
                )


# --- the schedule's rules, checked independently of the solver ---------------------------


def tasks_of(plan: PlanInput) -> list[tuple[str, StageInput]]:
    """(region, stage) pairs that still need an event."""
    return [(r.code, s) for r in plan.regions for s in plan.stages if s.code not in r.done]


def _overlaps_blackout(region: RegionInput, start: date, end: date) -> bool:
    return any(start <= last and first < end for first, last in region.blackouts)


def violations(plan: PlanInput, events: Sequence[PlannedEvent]) -> list[str]:
    """Every rule of the module docstring that ``events`` break; empty for a valid plan."""
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


def merged_blackouts(blackouts: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    """Blackouts sorted, with overlapping or touching ones joined into one."""
    merged: list[tuple[date, date]] = []
    for first, last in sorted(blackouts):
        if merged and first <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def earliest_starts(plan: PlanInput) -> dict[tuple[str, str], date]:
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
            begin = _first_free_day(region, begin, stage.days)
            starts[(region.code, code)] = begin
            ends[code] = begin + timedelta(days=stage.days)
    return starts


def critical_path_finish(plan: PlanInput) -> date:
    """A finish no schedule can beat: every event as early as its region's chain allows."""
    days = {s.code: s.days for s in plan.stages}
    ends = [
        begin + timedelta(days=days[code]) for (_r, code), begin in earliest_starts(plan).items()
    ]
    return max(ends, default=plan.start)


# --- the naive alternative ---------------------------------------------------------------


def _first_free_day(region: RegionInput, day: date, days: int) -> date:
    """The first day on or after ``day`` when a ``days``-long event avoids every blackout."""
    moved = True
    while moved:
        moved = False
        for first, last in region.blackouts:
            if day <= last and first < day + timedelta(days=days):
                day = last + timedelta(days=1)
                moved = True
    return day


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
            day = _first_free_day(region, day, stage.days)
            team = next(t.code for t in plan.teams if code in t.stages)
            end = day + timedelta(days=stage.days)
            events.append(PlannedEvent(region.code, code, team, day, end))
            ends[code] = end
            clock, where = end, region.code
    return events


def _tails(plan: PlanInput, done: Iterable[str] = ()) -> dict[str, int]:
    """Days from a stage's start to the end of the longest chain of stages after it, among
    those not ``done``."""
    skip = set(done)
    stages = {s.code: s for s in plan.stages}
    tails: dict[str, int] = {}
    for code in reversed(stage_order(plan.stages)):
        following = [
            s.min_gap_days + tails[s.code]
            for s in plan.stages
            if code in s.after and s.code not in skip
        ]
        tails[code] = stages[code].days + max(following, default=0)
    return tails


# --- the optimizer -----------------------------------------------------------------------


def is_metric(plan: PlanInput) -> bool:
    """Whether going straight between two regions is never slower than via a third one."""
    codes = [r.code for r in plan.regions]
    return all(
        plan.travel(a, c) <= plan.travel(a, b) + plan.travel(b, c)
        for a in codes
        for b in codes
        for c in codes
    )


def plan_rollout(plan: PlanInput, *, workers: int = 8, seed: int = 0) -> PlanResult:
    """The schedule that finishes the last remaining event as early as possible.

    CP-SAT model: one optional interval per (task, capable team), exactly one present;
    precedences with gaps inside a region; per task a no-overlap with its region's merged
    blackouts; per team a no-overlap, and for each pair of tasks in different regions an
    order literal that, when both go to the same team, keeps the travel time between them.
    Requiring travel between every pair (not only consecutive ones) is exact when travel
    times are metric; otherwise the answer is still valid but may travel more than needed,
    and only the travel-aware bound (``planner_bound``) is reported, never the solver's.
    The best of the sequential baseline and the greedy schedules (``planner_greedy``),
    improved by local search over the teams' orders (``planner_search``, on large plans in
    two processes: ``planner_parallel``), is the hint and the horizon, so an answer always
    exists; "optimal" means it meets the proven bound.
    """
    from ortools.sat.python import cp_model

    # Imported here: this module builds on this one's plan types.
    from amparo.rollout.planner_bound import capacity_sets, latest_starts, travel_allowance

    began = time.perf_counter()
    validate(plan)
    baseline = sequential_schedule(plan)
    tasks = tasks_of(plan)
    if not tasks:
        return PlanResult(STATUS_OPTIMAL, plan.start, plan.start, plan.start, ())
    baseline_date = finish_of(baseline)
    hint, proven = _start_and_bound(plan, baseline, began, seed)
    horizon = (finish_of(hint) - plan.start).days
    if horizon <= proven:  # nothing can finish earlier: no need to search
        return _hinted_result(plan, hint, proven, baseline_date, time.perf_counter() - began)
    regions = {r.code: r for r in plan.regions}
    day = lambda d: (d - plan.start).days  # noqa: E731 - a local unit conversion

    model = cp_model.CpModel()
    start, end = {}, {}
    # Each event's window: from the first day its region's chain allows to the last day
    # that leaves the stages after it room to end by the horizon.
    heads, latest = earliest_starts(plan), latest_starts(plan, horizon)
    for region_code, stage in tasks:
        key = (region_code, stage.code)
        lo, hi = day(heads[key]), latest[key]
        start[key] = model.new_int_var(lo, hi, f"s_{region_code}_{stage.code}")
        end[key] = model.new_int_var(
            lo + stage.days, hi + stage.days, f"e_{region_code}_{stage.code}"
        )
        model.add(end[key] == start[key] + stage.days)
        blackouts = [
            model.new_fixed_size_interval_var(day(first), (last - first).days + 1, "blackout")
            for first, last in merged_blackouts(regions[region_code].blackouts)
        ]
        if blackouts:
            own = model.new_interval_var(start[key], stage.days, end[key], "own")
            model.add_no_overlap([own, *blackouts])
        for prerequisite in stage.after:
            if (region_code, prerequisite) in start:
                model.add(start[key] >= end[(region_code, prerequisite)] + stage.min_gap_days)

    assigned: dict[tuple[str, str, str], Any] = {}
    for team in plan.teams:
        intervals = []
        for region_code, stage in tasks:
            if stage.code not in team.stages:
                continue
            key = (region_code, stage.code)
            present = model.new_bool_var(f"x_{team.code}_{region_code}_{stage.code}")
            assigned[(team.code, *key)] = present
            intervals.append(
                model.new_optional_interval_var(start[key], stage.days, end[key], present, "t")
            )
        model.add_no_overlap(intervals)
    # Redundant with the per-team rules, but it lets the search see early that too many
    # events crowd the same days (the same counting as the lower bound's).
    allowance = travel_allowance(plan)
    for subset, teams in capacity_sets(plan):
        members = [(r, s) for r, s in tasks if s.code in subset]
        if teams < len(members):
            model.add_cumulative(
                [
                    model.new_fixed_size_interval_var(
                        start[(r, s.code)], s.days + allowance[r], "stretched"
                    )
                    for r, s in members
                ],
                [1] * len(members),
                teams,
            )
    for region_code, stage in tasks:
        model.add_exactly_one(
            assigned[(t.code, region_code, stage.code)]
            for t in plan.teams
            if stage.code in t.stages
        )
    for i, (region_i, stage_i) in enumerate(tasks):
        for region_j, stage_j in tasks[i + 1 :]:
            if region_i == region_j:
                continue  # no travel within a region; the team no-overlap suffices
            key_i, key_j = (region_i, stage_i.code), (region_j, stage_j.code)
            first = model.new_bool_var("i_before_j")
            for team in plan.teams:
                both = [assigned.get((team.code, *key_i)), assigned.get((team.code, *key_j))]
                if any(literal is None for literal in both):
                    continue
                model.add(
                    start[key_j] >= end[key_i] + plan.travel(region_i, region_j)
                ).only_enforce_if([first, *both])
                model.add(
                    start[key_i] >= end[key_j] + plan.travel(region_j, region_i)
                ).only_enforce_if([~first, *both])

    finish = model.new_int_var(proven, max(horizon, proven), "finish")
    model.add_max_equality(finish, list(end.values()))
    model.minimize(finish)
    for event in hint:
        key = (event.region, event.stage)
        model.add_hint(start[key], day(event.start))
        for team in plan.teams:
            if (team.code, *key) in assigned:
                model.add_hint(assigned[(team.code, *key)], team.code == event.team)

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(
        plan.time_limit_s - (time.perf_counter() - began), 0.5
    )
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    seconds = time.perf_counter() - began

    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # No schedule found in time (with non-metric travel the model may even refuse the
        # hint): the hint is valid and is what we can offer.
        return _hinted_result(plan, hint, proven, baseline_date, seconds)
    events = []
    for region_code, stage in tasks:
        key = (region_code, stage.code)
        team = next(
            t.code
            for t in plan.teams
            if (t.code, *key) in assigned and solver.value(assigned[(t.code, *key)])
        )
        first_day = plan.start + timedelta(days=solver.value(start[key]))
        events.append(
            PlannedEvent(
                region_code, stage.code, team, first_day, first_day + timedelta(days=stage.days)
            )
        )
    events.sort(key=lambda e: (e.start, e.region, e.stage))
    # The solver's own bound holds for the rules only when travel times are metric (see
    # above); the relaxation's bound always holds.
    bound = max(proven, int(solver.best_objective_bound)) if is_metric(plan) else proven
    optimal = solver.value(finish) == bound
    return PlanResult(
        STATUS_OPTIMAL if optimal else STATUS_FEASIBLE,
        plan.start + timedelta(days=solver.value(finish)),
        plan.start + timedelta(days=bound),
        baseline_date,
        tuple(events),
        seconds,
    )


def _start_and_bound(
    plan: PlanInput, baseline: list[PlannedEvent], began: float, seed: int
) -> tuple[list[PlannedEvent], int]:
    """The solver's starting schedule and the proven lower bound (days from the start):
    greedy schedules improved by local search, on large plans in two processes at once
    (``planner_parallel``), the better of the two (or the baseline) winning."""
    # Imported here: these modules build on this one's plan types.
    from amparo.rollout.planner_bound import travel_aware_bound
    from amparo.rollout.planner_greedy import GreedyInstance, best_greedy_schedule
    from amparo.rollout.planner_parallel import second_search
    from amparo.rollout.planner_search import search_until

    instance = GreedyInstance.of(plan)
    greedy_seconds = plan.time_limit_s * HINT_SHARE_OF_TIME
    # Wall-clock time, which the other process shares.
    until = time.time() + plan.time_limit_s * SEARCH_UNTIL - (time.perf_counter() - began)
    with second_search(plan, len(instance.tasks), greedy_seconds, until, seed + 1) as second:
        greedy = best_greedy_schedule(instance, greedy_seconds, seed=seed)
        hint = min(baseline, greedy, key=finish_of)
        proven = travel_aware_bound(
            plan,
            (critical_path_finish(plan) - plan.start).days,
            (finish_of(hint) - plan.start).days,
            seconds=plan.time_limit_s * BOUND_SHARE_OF_TIME,
        )
        hint = search_until(
            instance, until, greedy_seconds=greedy_seconds, seed=seed, floor=proven, start=hint
        )
        reached_bound = (finish_of(hint) - plan.start).days <= proven
        other = second.result() if second and not reached_bound else None
    if other and finish_of(other) < finish_of(hint):
        hint = other
    return hint, proven


def _hinted_result(
    plan: PlanInput, hint: list[PlannedEvent], proven: int, baseline: date, seconds: float
) -> PlanResult:
    finish = finish_of(hint)
    return PlanResult(
        STATUS_OPTIMAL if (finish - plan.start).days == proven else STATUS_FEASIBLE,
        finish,
        plan.start + timedelta(days=proven),
        baseline,
        tuple(sorted(hint, key=lambda e: (e.start, e.region, e.stage))),
        seconds,
    )


def result_to_json(result: PlanResult) -> dict[str, Any]:
    """The JSON form of a result, as ``amparo plan --json`` prints it."""
    iso = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "status": result.status,
        "finish": iso(result.finish),
        "lower_bound": iso(result.lower_bound),
        "baseline_sequential_finish": iso(result.baseline_sequential_finish),
        "events": events_to_json(result.events),
    }


def events_to_json(events: Iterable[PlannedEvent]) -> list[dict[str, str]]:
    return [
        {
            "region": e.region,
            "stage": e.stage,
            "team": e.team,
            "start": e.start.isoformat(),
            "end": e.end.isoformat(),
        }
        for e in events
    ]


def plan_to_json(plan: PlanInput) -> dict[str, Any]:
    """The JSON form of ``plan``, as ``parse_plan_input`` reads it."""
    return {
        "start": plan.start.isoformat(),
        "regions": [
            {
                "code": r.code,
                "earliest": r.earliest.isoformat(),
                "blackouts": [[first.isoformat(), last.isoformat()] for first, last in r.blackouts],
                "done": list(r.done),
            }
            for r in plan.regions
        ],
        "stages": [
            {"code": s.code, "days": s.days, "after": list(s.after), "min_gap_days": s.min_gap_days}
            for s in plan.stages
        ],
        "teams": [{"code": t.code, "stages": sorted(t.stages)} for t in plan.teams],
        "travel_days": {a: dict(row) for a, row in plan.travel_days.items()},
        "time_limit_s": plan.time_limit_s,
    }


def events_from_json(rows: Iterable[Mapping[str, Any]]) -> list[PlannedEvent]:
    """The inverse of ``events_to_json``."""
    return [
        PlannedEvent(
            str(row["region"]),
            str(row["stage"]),
            str(row["team"]),
            date.fromisoformat(row["start"]),
            date.fromisoformat(row["end"]),
        )
        for row in rows
    ]


def plan_from_json_text(text: str) -> PlanInput:
    """Parse the planner's JSON text; raises ``PlanInputError`` for text that is not JSON
    and for input ``parse_plan_input`` refuses."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanInputError(f"not valid JSON: {error.msg} (line {error.lineno})") from None
    return parse_plan_input(raw)


def finish_of(events: Iterable[PlannedEvent]) -> date | None:
    return max((e.end for e in events), default=None)
