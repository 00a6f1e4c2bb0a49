"""``plan_rollout``: the schedule that finishes the last remaining event as early as it can
find, with a proven lower bound and the sequential baseline to compare with.

Pure Python plus OR-Tools; no Django import. The steps, each with its share of the time
limit (``Budget``): the sequential baseline and greedy schedules (``greedy``); the
travel-aware lower bound (``bound``); the local search from the best of them, on large
plans in two processes at once (``search``); the large-neighbourhood search from the better
of them (``lns``); then the CP-SAT model below, started from that schedule, for the rest of
the time. Each step hands the next a valid schedule, so an answer
always exists; "optimal" means it meets the proven bound.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Protocol

from amparo.rollout.planner.bound import capacity_sets, travel_allowance, travel_aware_bound
from amparo.rollout.planner.greedy import GreedyInstance, best_greedy_schedule
from amparo.rollout.planner.lns import improve_by_lns
from amparo.rollout.planner.model import (
    STATUS_FEASIBLE,
    STATUS_OPTIMAL,
    PlanInput,
    PlannedEvent,
    PlanResult,
    StageInput,
    finish_of,
    finishes,
    stage_order,
    validate,
)
from amparo.rollout.planner.rules import (
    Task,
    critical_path_finish,
    earliest_starts,
    latest_starts,
    merged_blackouts,
    sequential_schedule,
    tasks_of,
    violations,
)
from amparo.rollout.planner.search import (
    events_of,
    orders_of,
    search_for_moves,
    search_until,
    second_search,
    timed,
)
from amparo.rollout.planner.successors import shortest_travel
from amparo.rollout.planner.work import (
    CP_SAT_DETERMINISTIC_PER_UNIT,
    LNS_DETERMINISTIC_PER_UNIT,
    MAX_GREEDY_TRIES,
    Cap,
    bound_iterations,
    cap_seconds,
    greedy_tries,
    search_moves,
)

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

# Parts of the time limit: greedy starting schedules, then proving the travel-aware lower
# bound (it stops as soon as it is done), then improving the best start by local search
# until SEARCH_UNTIL of the limit has passed, then by large-neighbourhood search (``lns``)
# until LNS_UNTIL; the CP-SAT search of the whole plan gets the rest. On the benchmark the
# local search (in two processes) and LNS find more in that time than CP-SAT does.
HINT_SHARE_OF_TIME = 0.1
BOUND_SHARE_OF_TIME = 0.35
SEARCH_UNTIL = 0.6
LNS_UNTIL = 0.9
# The CP-SAT search gets at least this long, however little of the limit is left.
MIN_SOLVER_SECONDS = 0.5
# Deterministic mode (``work``): the shares of the work units, which play the part of the
# time limit's shares above (the bound's counted in simplex iterations).
GREEDY_SHARE_OF_WORK = 0.1
BOUND_SHARE_OF_WORK = 0.45
SEARCH_SHARE_OF_WORK = 0.45  # this process's local search, after the bound
SECOND_SHARE_OF_WORK = 0.8  # the second process's greedy starts and local search
LNS_SHARE_OF_WORK = 0.35  # large-neighbourhood search from the better of the two
SOLVER_SHARE_OF_WORK = 0.1


@dataclass(frozen=True)
class Budget:
    """How a plan's time limit is shared among the steps, counted from ``began``
    (``time.perf_counter()``)."""

    limit: float
    began: float
    # Deterministic mode: the limit counts work units and this is the wall-clock cap.
    cap: Cap | None = None

    @classmethod
    def starting_now(cls, limit: float, *, deterministic: bool = False) -> Budget:
        cap = Cap.after(cap_seconds(limit)) if deterministic else None
        return cls(limit, time.perf_counter(), cap)

    def units(self, share: float) -> float:
        """A step's share of the work units (deterministic mode)."""
        return self.limit * share

    def elapsed(self) -> float:
        return time.perf_counter() - self.began

    @property
    def greedy_seconds(self) -> float:
        return self.limit * HINT_SHARE_OF_TIME

    @property
    def bound_seconds(self) -> float:
        return self.limit * BOUND_SHARE_OF_TIME

    def search_until(self) -> float:
        """When the local search stops, as a wall-clock time (``time.time()``), which a
        second process shares."""
        return time.time() + self.limit * SEARCH_UNTIL - self.elapsed()

    def lns_until(self) -> float:
        """When the large-neighbourhood search stops, as a ``time.time()``."""
        return time.time() + self.limit * LNS_UNTIL - self.elapsed()

    def solver_seconds(self) -> float:
        return max(self.limit - self.elapsed(), MIN_SOLVER_SECONDS)


# How often, while CP-SAT searches, the caller's ``should_stop`` is asked and the best finish
# and bound so far are handed to its ``progress`` (in the caller's thread).
POLL_SECONDS = 0.25

Progress = Callable[[date, date], None]  # (best finish so far, proven lower bound so far)
ShouldStop = Callable[[], bool]


def _never() -> bool:
    return False


@dataclass(frozen=True)
class Hooks:
    """What a caller may follow and steer a plan with: ``progress`` hears the best finish
    and the proven bound whenever either changes; ``should_stop`` is asked between the steps
    and inside their loops, and a True answer ends the plan early with the best schedule
    found so far. Both are called only in the thread that called ``plan_rollout``."""

    plan: PlanInput
    progress: Progress | None = None
    should_stop: ShouldStop = _never

    def report(self, finish_days: int, bound_days: int) -> None:
        if self.progress is not None:
            start = self.plan.start
            self.progress(start + timedelta(days=finish_days), start + timedelta(days=bound_days))


@dataclass(frozen=True)
class StartingPoint:
    """The best schedule before the CP-SAT search, and the proven lower bound on any
    schedule's finish (days from the plan's start)."""

    schedule: list[PlannedEvent]
    proven: int


def plan_rollout(
    plan: PlanInput,
    *,
    workers: int = 8,
    seed: int = 0,
    progress: Progress | None = None,
    should_stop: ShouldStop | None = None,
    deterministic: bool = True,
) -> PlanResult:
    """The schedule that finishes the last remaining event as early as possible, within
    ``plan.time_limit_s``; ``workers`` and ``seed`` are the CP-SAT search's. ``progress``
    and ``should_stop`` follow and cancel the plan (see ``Hooks``); without them nothing
    changes.

    ``deterministic`` (the default) reads the time limit as work units (``work``): the
    same plan and seed then give the same schedule on any machine, unless the wall-clock
    cap cuts a step short (``time_cap_reached``). Without it every step stops on the clock.

    The best of the sequential baseline and the greedy schedules, improved by local search,
    is the CP-SAT model's hint and horizon (``starting_point``), so an answer always exists.
    The CP-SAT model asks only the shortest-path travel between a team's events, so its
    bound holds for any travel times (see ``_add_travel_orders``)."""
    _load_cp_sat()
    budget = Budget.starting_now(plan.time_limit_s, deterministic=deterministic)
    validate(plan)
    baseline = sequential_schedule(plan)
    if not tasks_of(plan):
        return _result(plan, [], 0, plan.start, budget, seconds=0.0)
    hooks = Hooks(plan, progress, should_stop or _never)
    start = starting_point(plan, baseline, budget, seed=seed, hooks=hooks)
    baseline_finish = finish_of(baseline)
    if _days(plan, finish_of(start.schedule)) > start.proven and not hooks.should_stop():
        start = neighbourhood_search(plan, start, budget, seed=seed, hooks=hooks)
    hooks.report(_days(plan, finish_of(start.schedule)), start.proven)
    if _days(plan, finish_of(start.schedule)) <= start.proven or hooks.should_stop():
        return _result(plan, start.schedule, start.proven, baseline_finish, budget)
    return _solve(plan, start, baseline_finish, budget, workers=workers, seed=seed, hooks=hooks)


def starting_point(
    plan: PlanInput,
    baseline: list[PlannedEvent],
    budget: Budget,
    *,
    seed: int,
    hooks: Hooks | None = None,
) -> StartingPoint:
    """Greedy schedules improved by local search, on large plans in two processes at once
    (``search.second_search``), the better of the two (or the baseline) winning; and the
    travel-aware lower bound, proven while the second process searches."""
    hooks = hooks or Hooks(plan)
    instance = GreedyInstance.of(plan)
    events, cap = len(instance.tasks), budget.cap
    greedy_seconds, until = budget.greedy_seconds, budget.search_until()
    tries, work = MAX_GREEDY_TRIES, None
    if cap is not None:  # counted work; the clock only as the safety net
        greedy_seconds, until = cap.left(), cap.wall_until()
        tries = greedy_tries(events, budget.units(GREEDY_SHARE_OF_WORK))
        work = (tries, search_moves(events, budget.units(SECOND_SHARE_OF_WORK)))
    with second_search(
        plan, events, greedy_seconds, until, seed + 1, work=work, always=cap is not None
    ) as second:
        greedy = best_greedy_schedule(instance, greedy_seconds, seed=seed, tries=tries)
        best = min(baseline, greedy, key=finish_of)
        chain = _days(plan, critical_path_finish(plan))
        hooks.report(_days(plan, finish_of(best)), chain)
        proven = chain
        if not hooks.should_stop():
            proven = travel_aware_bound(
                plan,
                chain,
                _days(plan, finish_of(best)),
                seconds=budget.bound_seconds if cap is None else cap.left(),
                should_stop=hooks.should_stop,
                iterations=None
                if cap is None
                else bound_iterations(budget.units(BOUND_SHARE_OF_WORK)),
            )
            hooks.report(_days(plan, finish_of(best)), proven)
        if not hooks.should_stop() and cap is not None:
            best = search_for_moves(
                instance,
                search_moves(events, budget.units(SEARCH_SHARE_OF_WORK)),
                greedy_tries=tries,
                seed=seed,
                until=cap.wall_until(),
                floor=proven,
                start=best,
                should_stop=hooks.should_stop,
            )
        elif not hooks.should_stop():
            best = search_until(
                instance,
                until,
                greedy_seconds=greedy_seconds,
                seed=seed,
                floor=proven,
                start=best,
                should_stop=hooks.should_stop,
            )
        reached_bound = _days(plan, finish_of(best)) <= proven
        stopped = hooks.should_stop()
        other = second.result() if second and not reached_bound and not stopped else None
        if cap is not None and second is not None and second.timed_out:
            cap.reached = True
    if other and finish_of(other) < finish_of(best):
        best = other
    return StartingPoint(best, proven)


def neighbourhood_search(
    plan: PlanInput, start: StartingPoint, budget: Budget, *, seed: int, hooks: Hooks
) -> StartingPoint:
    """``start`` improved by large-neighbourhood search (``lns``) for its share of the
    work units (deterministic mode) or until ``LNS_UNTIL`` of the time limit."""
    if budget.cap is not None:
        work = budget.units(LNS_SHARE_OF_WORK) * LNS_DETERMINISTIC_PER_UNIT
        until = budget.cap.wall_until()
    else:
        work, until = float("inf"), budget.lns_until()
    schedule = improve_by_lns(
        GreedyInstance.of(plan),
        start.schedule,
        work,
        seed=seed,
        floor=start.proven,
        until=until,
        should_stop=hooks.should_stop,
    )
    if budget.cap is not None and time.time() >= until:
        budget.cap.reached = True
    return StartingPoint(schedule, start.proven)


# --- the CP-SAT model --------------------------------------------------------------------


def _load_cp_sat() -> None:
    """Load OR-Tools' CP-SAT on a process's first plan, not with the package: it costs tens
    of megabytes that the web processes which only show plans never need. It is loaded
    before the time limit's clock starts, because loading takes about half a second that
    the limit is not meant to count."""
    from ortools.sat.python import cp_model  # noqa: F401


@dataclass
class _Variables:
    """The CP-SAT model of one plan and the variables its building steps share."""

    model: cp_model.CpModel
    start: dict[Task, cp_model.IntVar] = field(default_factory=dict)
    end: dict[Task, cp_model.IntVar] = field(default_factory=dict)
    # (team, region, stage): whether the team holds the event
    assigned: dict[tuple[str, str, str], cp_model.IntVar] = field(default_factory=dict)


def _solve(
    plan: PlanInput,
    start: StartingPoint,
    baseline_finish: date,
    budget: Budget,
    *,
    workers: int,
    seed: int,
    hooks: Hooks | None = None,
) -> PlanResult:
    """The CP-SAT search from ``start`` for the rest of the time limit."""
    from ortools.sat.python import cp_model  # loaded already: see ``_load_cp_sat``

    tasks = tasks_of(plan)
    v = _schedule_model(cp_model.CpModel(), plan, tasks, start)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = budget.solver_seconds()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if budget.cap is not None:
        # Interleaved workers search in fixed batches: the same answer whatever the
        # machine and its load, for a deterministic time rather than seconds.
        solver.parameters.interleave_search = True
        solver.parameters.max_deterministic_time = (
            budget.units(SOLVER_SHARE_OF_WORK) * CP_SAT_DETERMINISTIC_PER_UNIT
        )
        solver.parameters.max_time_in_seconds = max(budget.cap.left(), MIN_SOLVER_SECONDS)
    solutions = _solutions(v, plan, tasks, start)
    if hooks is None or (hooks.progress is None and hooks.should_stop is _never):
        status = solver.solve(v.model, solutions)
    else:
        status = _solve_watched(solver, v.model, hooks, solutions)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        # No schedule found in time: the starting schedule is valid and is what we offer.
        return _result(plan, start.schedule, start.proven, baseline_finish, budget)
    # The model relaxes every schedule that finishes by the starting one (see
    # ``_add_travel_orders``), so its bound holds whatever the travel times.
    bound = max(start.proven, int(solver.best_objective_bound))
    return _result(plan, solutions.best, bound, baseline_finish, budget)


class Solutions(Protocol):
    """What the CP-SAT search's solution callback keeps (see ``_solutions``)."""

    lock: threading.Lock
    best: list[PlannedEvent]
    bound: int


def _solutions(
    v: _Variables, plan: PlanInput, tasks: Sequence[tuple[str, StageInput]], start: StartingPoint
) -> cp_model.CpSolverSolutionCallback:
    """A solution callback that times each of the search's schedules again with the real
    travel (``retimed``: the model's travel is the shortest path, so its own days may be
    too early when travel is not metric, and an earlier, worse-looking solution may time
    out better than the last) and keeps the best real schedule and the solver's bound,
    under ``lock``: the search calls it in its own thread."""
    from ortools.sat.python import cp_model  # loaded already: see ``_load_cp_sat``

    instance = GreedyInstance.of(plan)

    class _Solutions(cp_model.CpSolverSolutionCallback):
        def __init__(self) -> None:
            super().__init__()
            self.lock = threading.Lock()
            self.best, self.bound = start.schedule, start.proven

        def on_solution_callback(self) -> None:
            relaxed = _solution_events(v, plan, tasks, self)
            best = retimed(plan, relaxed, self.best, instance)
            with self.lock:
                self.best = best
                self.bound = max(self.bound, int(self.best_objective_bound))

    return _Solutions()


def retimed(
    plan: PlanInput,
    relaxed: Sequence[PlannedEvent],
    fallback: list[PlannedEvent],
    instance: GreedyInstance | None = None,
) -> list[PlannedEvent]:
    """The teams' orders of ``relaxed`` (a schedule that may travel only the shortest path
    between a team's events) timed again with the real travel, as early as they allow
    (``search.timed``); kept when they keep every rule and are not worse than ``fallback``
    (the finish, then the sum of the regions' finishes), else ``fallback``. With metric
    travel the orders' timing is never later than ``relaxed``."""
    instance = instance or GreedyInstance.of(plan)
    orders = orders_of(instance, list(relaxed))
    timing = timed(instance, orders)
    if timing is None:  # the orders contradict the chains: cannot happen for a solution
        return fallback
    events = events_of(instance, orders, timing)
    if finishes(plan.start, events) > finishes(plan.start, fallback) or violations(plan, events):
        return fallback
    return events


def _solve_watched(
    solver: cp_model.CpSolver, model: cp_model.CpModel, hooks: Hooks, solutions: Solutions
) -> int:
    """``solver.solve(model)`` in a helper thread while this one reports each better
    finish (and bound) and stops the search when ``hooks.should_stop`` says so: the hooks
    run only in the caller's thread, where its database connection lives."""
    from ortools.sat.python import cp_model  # loaded already: see ``_load_cp_sat``

    answer: dict[str, int] = {}
    thread = threading.Thread(
        target=lambda: answer.setdefault("status", solver.solve(model, solutions)), daemon=True
    )
    thread.start()
    told: tuple[int, int] | None = None
    try:
        while thread.is_alive():
            thread.join(POLL_SECONDS)
            with solutions.lock:
                now = (_days(hooks.plan, finish_of(solutions.best)), solutions.bound)
            if now != told:
                told = now
                hooks.report(*now)
            if thread.is_alive() and hooks.should_stop():
                solver.stop_search()
                thread.join()
    finally:  # a hook that fails must not leave the search running on its own
        if thread.is_alive():
            solver.stop_search()
            thread.join()
    return answer.get("status", cp_model.UNKNOWN)


def _schedule_model(
    model: cp_model.CpModel,
    plan: PlanInput,
    tasks: Sequence[tuple[str, StageInput]],
    start: StartingPoint,
) -> _Variables:
    """The whole model: the rules, the redundant counting, the objective (the latest end,
    at most the starting schedule's finish) and the hints."""
    horizon = _days(plan, finish_of(start.schedule))
    v = _Variables(model)
    _add_event_windows(v, plan, tasks, horizon)
    _add_team_assignment(v, plan, tasks)
    _add_capacity_cuts(v, plan, tasks)
    _add_travel_orders(v, plan, tasks)
    # No floor at the proven bound: with one, CP-SAT stops raising its own bound there (100
    # geographic regions: 299 days instead of 446); the better of both is reported.
    finish = model.new_int_var(0, max(horizon, start.proven), "finish")
    model.add_max_equality(finish, list(v.end.values()))
    model.minimize(finish)
    _add_hints(v, plan, start.schedule)
    return v


def _add_event_windows(
    v: _Variables, plan: PlanInput, tasks: Sequence[tuple[str, StageInput]], horizon: int
) -> None:
    """A start and an end per event, inside its window: from the first day its region's
    chain allows to the last day that leaves the stages after it room to end by the
    horizon; clear of its region's merged blackouts; after its prerequisites plus the gap."""
    regions = {r.code: r for r in plan.regions}
    heads, latest = earliest_starts(plan), latest_starts(plan, horizon)
    for region_code, stage in tasks:
        key = (region_code, stage.code)
        lo, hi = _days(plan, heads[key]), latest[key]
        start = v.start[key] = v.model.new_int_var(lo, hi, f"s_{region_code}_{stage.code}")
        end = v.end[key] = v.model.new_int_var(
            lo + stage.days, hi + stage.days, f"e_{region_code}_{stage.code}"
        )
        v.model.add(end == start + stage.days)
        blackouts = [
            v.model.new_fixed_size_interval_var(
                _days(plan, first), (last - first).days + 1, "blackout"
            )
            for first, last in merged_blackouts(regions[region_code].blackouts)
        ]
        if blackouts:
            own = v.model.new_interval_var(start, stage.days, end, "own")
            v.model.add_no_overlap([own, *blackouts])
        for prerequisite in stage.after:
            if (region_code, prerequisite) in v.start:
                v.model.add(start >= v.end[(region_code, prerequisite)] + stage.min_gap_days)


def _add_team_assignment(
    v: _Variables, plan: PlanInput, tasks: Sequence[tuple[str, StageInput]]
) -> None:
    """One optional interval per (event, capable team), exactly one of them present, and
    no two events of a team at once."""
    for team in plan.teams:
        intervals = []
        for region_code, stage in tasks:
            if stage.code not in team.stages:
                continue
            key = (region_code, stage.code)
            present = v.model.new_bool_var(f"x_{team.code}_{region_code}_{stage.code}")
            v.assigned[(team.code, *key)] = present
            interval = v.model.new_optional_interval_var(
                v.start[key], stage.days, v.end[key], present, "t"
            )
            intervals.append(interval)
        v.model.add_no_overlap(intervals)
    for region_code, stage in tasks:
        v.model.add_exactly_one(
            v.assigned[(t.code, region_code, stage.code)]
            for t in plan.teams
            if stage.code in t.stages
        )


def _add_capacity_cuts(
    v: _Variables, plan: PlanInput, tasks: Sequence[tuple[str, StageInput]]
) -> None:
    """The lower bound's counting as cumulative constraints: redundant with the per-team
    rules, but it lets the search see early that too many events crowd the same days."""
    allowance = travel_allowance(plan)
    for subset, teams in capacity_sets(plan):
        members = [(r, s) for r, s in tasks if s.code in subset]
        if teams < len(members):
            v.model.add_cumulative(
                [
                    v.model.new_fixed_size_interval_var(
                        v.start[(r, s.code)], s.days + allowance[r], "stretched"
                    )
                    for r, s in members
                ],
                [1] * len(members),
                teams,
            )


def _add_travel_orders(
    v: _Variables, plan: PlanInput, tasks: Sequence[tuple[str, StageInput]]
) -> None:
    """For each pair of events in different regions an order literal that, when both go to
    the same team, keeps the shortest-path travel between them (through other regions when
    that is faster). Every schedule keeps it: consecutive events are apart by the direct
    travel, which is no less, and others by a chain of travels, which is no less either. So
    the model is a relaxation whose bound always holds; with metric travel it is exact, and
    otherwise its schedules are timed again with the real travel (``retimed``)."""
    least = shortest_travel(plan)
    for i, (region_i, stage_i) in enumerate(tasks):
        for region_j, stage_j in tasks[i + 1 :]:
            if region_i == region_j:
                continue  # no travel within a region; the team no-overlap suffices
            key_i, key_j = (region_i, stage_i.code), (region_j, stage_j.code)
            first = v.model.new_bool_var("i_before_j")
            for team in plan.teams:
                both = [v.assigned.get((team.code, *key_i)), v.assigned.get((team.code, *key_j))]
                if any(literal is None for literal in both):
                    continue
                v.model.add(
                    v.start[key_j] >= v.end[key_i] + least[region_i][region_j]
                ).only_enforce_if([first, *both])
                v.model.add(
                    v.start[key_i] >= v.end[key_j] + least[region_j][region_i]
                ).only_enforce_if([~first, *both])


def _add_hints(v: _Variables, plan: PlanInput, schedule: Sequence[PlannedEvent]) -> None:
    """Start the search from ``schedule``: its start days and team choices."""
    for event in schedule:
        key = (event.region, event.stage)
        v.model.add_hint(v.start[key], _days(plan, event.start))
        for team in plan.teams:
            if (team.code, *key) in v.assigned:
                v.model.add_hint(v.assigned[(team.code, *key)], team.code == event.team)


def _solution_events(
    v: _Variables,
    plan: PlanInput,
    tasks: Sequence[tuple[str, StageInput]],
    solver: cp_model.CpSolverSolutionCallback,
) -> list[PlannedEvent]:
    """The events of the solver's schedule, each with the team it chose."""
    events = []
    for region_code, stage in tasks:
        key = (region_code, stage.code)
        team = next(
            t.code
            for t in plan.teams
            if (t.code, *key) in v.assigned and solver.value(v.assigned[(t.code, *key)])
        )
        first_day = plan.start + timedelta(days=solver.value(v.start[key]))
        end = first_day + timedelta(days=stage.days)
        events.append(PlannedEvent(region_code, stage.code, team, first_day, end))
    return events


# --- the answer --------------------------------------------------------------------------


def _result(
    plan: PlanInput,
    events: Sequence[PlannedEvent],
    bound: int,
    baseline_finish: date,
    budget: Budget,
    seconds: float | None = None,
) -> PlanResult:
    """``events`` as the answer, optimal when they finish on the proven ``bound`` (days
    from the start); a plan with nothing left to do finishes on its start day."""
    finish = finish_of(events) or plan.start
    cap = budget.cap
    if cap is not None:
        cap.left()  # notes the cap if it has passed
    return PlanResult(
        status=STATUS_OPTIMAL if _days(plan, finish) == bound else STATUS_FEASIBLE,
        finish=finish,
        lower_bound=plan.start + timedelta(days=bound),
        baseline_sequential_finish=baseline_finish,
        events=tuple(sorted(events, key=lambda e: (e.start, e.region, e.stage))),
        start=plan.start,
        stage_order=tuple(stage_order(plan.stages)),
        solve_seconds=budget.elapsed() if seconds is None else seconds,
        deterministic=cap is not None,
        work_units=budget.limit if cap is not None else None,
        time_cap_reached=cap is not None and cap.reached,
    )


def _days(plan: PlanInput, day: date) -> int:
    """``day`` as days from the plan's start."""
    return (day - plan.start).days
