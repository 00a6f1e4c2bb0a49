"""Large-neighbourhood search: re-plan a part of a schedule exactly, keep the rest.

Pure Python plus OR-Tools' CP-SAT; no Django. The local search (``search``) moves one
event at a time and settles where every single move makes things worse; here a whole
neighbourhood is freed at once (a few whole regions on the chain that decides the finish;
that chain's events; or the events nearest in time to one of them, of every team, of its
team and one more, or of nearby regions). Every other event keeps its team and its place
in its team's order, while its day may move, and a small CP-SAT model re-plans the freed
ones: their teams among the capable ones, their places in the teams' orders, travel to and
from their neighbours and among themselves, blackouts, the stages' chains and gaps. It
minimises the finish, then the sum of the regions' finishes, never worse than now (the
current schedule is the model's hint and one of its solutions).

The model asks the least travel between two events of a team (``least_travel``,
through other regions when that is faster), which is exact when travel times are metric and
otherwise a relaxation (so on such plans every other solve asks the direct travel
instead). Either way its answer is only read as each team's order: the schedule is timed
again from those orders with the real travel (``search.timed``), checked with
``violations``, and kept only when it is not worse. So every schedule it returns keeps
every rule.

The same input and seed give the same schedule: each CP-SAT solve has one worker, a fixed
seed and a deterministic time limit, and the work is counted in CP-SAT's deterministic
time plus a charge per solve for building its model, not in seconds; the wall-clock
``until`` is only the safety net.
"""

from __future__ import annotations

import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from amparo.rollout.planner.greedy import GreedyInstance
from amparo.rollout.planner.model import PlannedEvent, finishes
from amparo.rollout.planner.rules import violations
from amparo.rollout.planner.search import Orders, Timing, events_of, orders_of, timed
from amparo.rollout.planner.successors import least_travel

# Neighbourhood sizes (events freed at once): they start at FIRST_SIZE and grow after a
# solve proven optimal within its limit, shrink after one that was cut short.
FIRST_SIZE = 16
MIN_SIZE = 8
MAX_SIZE = 60
# One solve's deterministic time at most (CP-SAT's "deterministic seconds").
SOLVE_DETERMINISTIC_LIMIT = 0.1
# What building a model costs, counted as deterministic time: per solve, per event (each
# has a start variable) and per pair of freed events (their order literals).
BUILD_CHARGE = 0.02
BUILD_CHARGE_PER_PAIR = 5e-5
BUILD_CHARGE_PER_EVENT = 2e-4
# A freed event may move into a team's order this many days before or after the freed
# events' current days.
NEAR_DAYS = 20


@dataclass
class _State:
    orders: Orders
    timing: Timing

    @property
    def key(self) -> tuple[int, int]:
        """What is minimised: the finish, then the sum of the regions' finishes."""
        n = len(self.timing.start)
        return self.timing.finish, self.timing.cost - self.timing.finish * n


def improve_by_lns(
    g: GreedyInstance,
    events: list[PlannedEvent],
    work: float,
    *,
    seed: int = 0,
    floor: int = 0,
    until: float | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[PlannedEvent]:
    """A schedule at least as good as ``events`` (finish, then the regions' finishes):
    neighbourhoods re-planned with CP-SAT for ``work`` deterministic seconds in all; stops
    early on reaching ``floor`` (days from the start), at the wall-clock time ``until``
    (``time.time()``) or when ``should_stop`` says so."""
    from ortools.sat.python import cp_model

    orders = orders_of(g, events)
    timing = timed(g, orders)
    if timing is None or not g.tasks:  # cannot happen for a valid schedule
        return events
    state, best_events = _State(orders, timing), events
    if finishes(g.plan.start, events) < state.key:  # cannot happen: timing never makes things later
        return events
    rng = random.Random(seed)  # noqa: S311 - variety among neighbourhoods, not secrecy
    least = least_travel(g.travel)
    metric = least == g.travel
    size, used = min(FIRST_SIZE, len(g.tasks)), 0.0
    while used < work and state.timing.finish > floor:
        if until is not None and time.time() >= until:
            break
        if should_stop is not None and should_stop():
            break
        free = _neighbourhood(g, state, size, rng)
        limit = min(SOLVE_DETERMINISTIC_LIMIT, work - used)
        # Not metric: the least travel is a relaxation whose orders may time out later;
        # every other solve asks the direct travel instead (valid as it stands, but
        # stricter than needed between events that are not consecutive).
        travel = least if metric or rng.random() < 0.5 else g.travel
        solved = _resolve(g, state, free, travel, limit, seed, until, cp_model)
        pairs = len(free) * (len(free) - 1) // 2
        used += BUILD_CHARGE + BUILD_CHARGE_PER_PAIR * pairs + BUILD_CHARGE_PER_EVENT * len(g.tasks)
        used += solved.deterministic_time
        grown = min(size + 2, MAX_SIZE, len(g.tasks))
        size = grown if solved.optimal else max(size - 2, MIN_SIZE)
        if solved.orders is None:
            continue
        new_timing = timed(g, solved.orders)
        if new_timing is None:
            continue
        candidate = _State(solved.orders, new_timing)
        if candidate.key > state.key:
            continue
        candidate_events = events_of(g, candidate.orders, candidate.timing)
        if violations(g.plan, candidate_events):
            continue
        state, best_events = candidate, candidate_events
    return best_events


def _neighbourhood(g: GreedyInstance, state: _State, size: int, rng: random.Random) -> list[int]:
    """About ``size`` events to free: whole regions of the chain that decides the finish,
    that chain's events, or the events nearest in time to one of them, of every team, of
    its team and one more, or of nearby regions."""
    start, critical = state.timing.start, state.timing.critical
    centre = rng.choice(critical) if critical else rng.randrange(len(g.tasks))
    team_of = {i: k for k, order in enumerate(state.orders) for i in order}
    kind = rng.random()
    candidates = range(len(g.tasks))
    distance: Callable[[int], float]
    if kind < 0.3:
        # Whole regions of the chain (every stage, so that a region can move its chain
        # clear of a blackout), then the events next to theirs in their teams' orders.
        regions = list(dict.fromkeys(g.region[i] for i in critical))
        picked = set(rng.sample(regions, min(len(regions), rng.choice((1, 2, 3)))))
        chosen = [i for i in range(len(g.tasks)) if g.region[i] in picked]
        return sorted(_with_neighbours(state, team_of, chosen, size))
    if kind < 0.45:
        # The chain itself, then the events next to its events in their teams' orders.
        chosen = list(dict.fromkeys(critical))
        rng.shuffle(chosen)
        return sorted(_with_neighbours(state, team_of, chosen[:size], size))
    if kind < 0.65:
        distance = lambda i: abs(start[i] - start[centre])  # noqa: E731
    elif kind < 0.85:
        teams = {team_of[centre], rng.randrange(len(state.orders))}
        candidates = [i for i in candidates if team_of[i] in teams]
        distance = lambda i: abs(start[i] - start[centre])  # noqa: E731
    else:
        weight = rng.choice((2.0, 5.0, 10.0))
        home = g.region[centre]
        distance = lambda i: abs(start[i] - start[centre]) + weight * g.travel[home][g.region[i]]  # noqa: E731
    ranked = sorted(candidates, key=lambda i: (distance(i), i))
    return sorted(ranked[:size])


def _with_neighbours(
    state: _State, team_of: dict[int, int], chosen: list[int], size: int
) -> list[int]:
    """``chosen`` and, up to ``size`` events in all, the events just before and after
    theirs in their teams' orders."""
    near = []
    for i in chosen:
        order = state.orders[team_of[i]]
        position = order.index(i)
        near += order[max(position - 1, 0) : position + 2]
    return list(dict.fromkeys(chosen + near))[: max(size, len(chosen))]


@dataclass
class _Solved:
    orders: Orders | None
    optimal: bool
    deterministic_time: float


def _resolve(g, state, free, least, limit, seed, until, cp_model) -> _Solved:
    """Re-plan the events ``free``: every other event keeps its team and its place in that
    team's order, its day may move (see the module's text). ``least``: the travel the
    model asks between two events of a team (least or direct, see ``improve_by_lns``)."""
    timing, orders = state.timing, state.orders
    start, days, region = timing.start, g.days, g.region
    horizon, n = timing.finish, len(g.tasks)
    freed = set(free)
    team_of = {i: k for k, order in enumerate(orders) for i in order}
    kept = [[i for i in order if i not in freed] for order in orders]
    model = cp_model.CpModel()
    begin = []
    for i in range(n):
        lo, hi = g.earliest[i], max(g.earliest[i], horizon - days[i])
        allowed = cp_model.Domain(lo, hi)
        for first, last in g.blackouts[region[i]]:
            allowed = allowed.intersection_with(
                cp_model.Domain(first - days[i] + 1, last).complement()
            )
        begin.append(model.new_int_var_from_domain(allowed, f"s{i}"))
        model.add_hint(begin[i], start[i])
    for i in range(n):  # the stages' chains and gaps
        for j, gap in g.prerequisites[i]:
            model.add(begin[i] >= begin[j] + days[j] + gap)
    for order in kept:  # the kept events' orders, with the least travel between them
        for a, b in itertools.pairwise(order):
            model.add(begin[b] >= begin[a] + days[a] + least[region[a]][region[b]])
    # Near the freed events in time: where in a team's order a freed event may go.
    low = min(start[i] for i in free) - NEAR_DAYS
    high = max(start[i] + days[i] for i in free) + NEAR_DAYS
    chosen: dict[tuple[int, int], object] = {}
    for i in free:
        options = []
        for k in g.teams[i]:
            x = model.new_bool_var(f"x{i}_{k}")
            chosen[(i, k)] = x
            model.add_hint(x, team_of[i] == k)
            options.append(x)
            _add_places(model, g, least, start, kept[k], i, x, begin, (low, high), team_of[i] == k)
        model.add_exactly_one(options)
    # Two freed events of one team: one before the other, with the travel between them.
    for a_index, a in enumerate(free):
        for b in free[a_index + 1 :]:
            shared = [k for k in g.teams[a] if (b, k) in chosen]
            if not shared:
                continue
            first = model.new_bool_var(f"o{a}_{b}")
            model.add_hint(first, start[a] < start[b])
            a_to_b, b_to_a = least[region[a]][region[b]], least[region[b]][region[a]]
            for k in shared:
                both = [chosen[(a, k)], chosen[(b, k)]]
                model.add(begin[b] >= begin[a] + days[a] + a_to_b).only_enforce_if([first, *both])
                model.add(begin[a] >= begin[b] + days[b] + b_to_a).only_enforce_if([~first, *both])
    # The objective: the finish, then the sum of the regions' finishes.
    finish = model.new_int_var(0, horizon, "finish")
    region_ends = [model.new_int_var(0, horizon, f"r{r}") for r in range(len(g.travel))]
    for i in range(n):
        model.add(finish >= begin[i] + days[i])
        model.add(region_ends[region[i]] >= begin[i] + days[i])
    model.minimize(finish * (len(region_ends) * (horizon + 1) + 1) + sum(region_ends))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_deterministic_time = max(limit, 0.01)
    if until is not None:
        solver.parameters.max_time_in_seconds = max(until - time.time(), 0.1)
    status = solver.solve(model)
    spent = solver.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return _Solved(None, False, spent)
    placed = [solver.value(b) for b in begin]
    team = {i: next(k for k in g.teams[i] if solver.value(chosen[(i, k)])) for i in free}
    new_orders = []
    for k, mine in enumerate(kept):
        mine = mine + [i for i in free if team[i] == k]
        mine.sort(key=lambda i: (placed[i], i))
        new_orders.append(mine)
    return _Solved(new_orders, status == cp_model.OPTIMAL, spent)


def _add_places(model, g, least, start, kept, i, x, begin, near, own) -> None:
    """Event ``i``, when held by the team whose kept events are ``kept`` (literal ``x``),
    goes between two of them (or before the first, or after the last) that are ``near``
    (the days around the freed events) with the least travel to and from them; that keeps
    it clear of all of them. ``own``: the team holds it now (its place is always one)."""
    region, days = g.region, g.days
    places = []
    for position in range(len(kept) + 1):
        before = kept[position - 1] if position else None
        after = kept[position] if position < len(kept) else None
        now_here = (
            own
            and (before is None or start[before] < start[i])
            and (after is None or start[i] < start[after])
        )
        left = start[before] + days[before] if before is not None else -NEAR_DAYS
        right = start[after] if after is not None else near[1] + NEAR_DAYS
        if not now_here and (right < near[0] or left > near[1]):
            continue
        y = model.new_bool_var(f"y{i}_{position}")
        if before is not None:
            model.add(
                begin[i] >= begin[before] + days[before] + least[region[before]][region[i]]
            ).only_enforce_if(y)
        if after is not None:
            model.add(
                begin[after] >= begin[i] + days[i] + least[region[i]][region[after]]
            ).only_enforce_if(y)
        model.add_hint(y, now_here)
        places.append(y)
    model.add(sum(places) == x)
