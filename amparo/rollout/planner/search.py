"""Local search over team sequences: a better starting schedule for the planner's solver.

Pure Python, no Django. A schedule is described by the order of events of each team; the
earliest schedule that keeps those orders, the regions' stage chains, gaps, blackouts and
the travel between a team's consecutive events follows from one pass over the events
(``timed``). Simulated annealing moves one event to another place in its own or
another capable team's order, or swaps two events, and keeps what finishes earlier (or,
on a finish tie, what ends the regions earlier overall). Every schedule it returns keeps
every rule, because timing is always worked out in full from the orders. On large plans
``search_until`` starts again from new greedy schedules while time is left.

The search is pure Python and holds one core. On large plans ``second_search`` runs the
same greedy start and local search with another seed in a child process (``parallel``)
while the planner proves the lower bound and searches itself; the better schedule wins.
The results of one search vary a lot from run to run, so the better of two is clearly
better. Whatever goes wrong in the child costs quality, never the answer: the planner goes
on with its own schedule.
"""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from amparo.rollout.planner.greedy import GreedyInstance, best_greedy_schedule
from amparo.rollout.planner.model import (
    PlanInput,
    PlannedEvent,
    events_from_json,
    finish_of,
    plan_to_json,
)
from amparo.rollout.planner.rules import violations

# From this many events on, the search starts again from new greedy schedules while time is
# left: on large plans one run often settles early, and a fresh start finds other plans.
# Smaller plans settle in well under a second and are answered at once.
RESTART_FROM_EVENTS = 40
# Smaller plans settle within a second on one core: a second process would only cost.
SECOND_SEARCH_FROM_EVENTS = RESTART_FROM_EVENTS
# How long past its deadline the child may take to answer (start-up, a busy machine).
GRACE_SECONDS = 2.0
# What the child runs (``python -m``). Named here rather than imported: importing it into
# the package would make ``-m`` run a module that is already loaded.
CHILD_MODULE = "amparo.rollout.planner.parallel"
# The folder that holds the ``amparo`` package, where the child starts, so that it imports
# the same amparo as ours.
_SOURCE_ROOT = str(Path(__file__).resolve().parents[3])

Orders = list[list[int]]  # per team, its task indices in the order it holds them


@dataclass
class Timing:
    start: list[int]
    finish: int
    cost: int  # finish weighted over the sum of the regions' finishes
    critical: list[int]  # tasks on a longest path to the finish


def timed(g: GreedyInstance, orders: Orders) -> Timing | None:
    """The earliest schedule keeping ``orders``; None when they contradict the chains."""
    n = len(g.tasks)
    days, region, travel, blackouts = g.days, g.region, g.travel, g.blackouts
    previous, following = [-1] * n, [-1] * n
    waiting = [len(before) for before in g.prerequisites]
    for order in orders:
        last = -1
        for i in order:
            if last >= 0:
                previous[i], following[last] = last, i
                waiting[i] += 1
            last = i
    start, binding = [0] * n, [-1] * n
    region_finish = [0] * len(travel)
    stack = [i for i in range(n) if not waiting[i]]
    done = finish = 0
    while stack:
        i = stack.pop()
        done += 1
        day, why = g.earliest[i], -1
        for j, lag in g.lags[i]:
            if start[j] + lag > day:
                day, why = start[j] + lag, j
        j = previous[i]
        if j >= 0:
            ready = start[j] + days[j] + travel[region[j]][region[i]]
            if ready > day:
                day, why = ready, j
        length = days[i]
        for first, last in blackouts[region[i]]:
            if day <= last and first < day + length:
                day = last + 1
        start[i], binding[i] = day, why
        end = day + length
        if end > region_finish[region[i]]:
            region_finish[region[i]] = end
            if end > finish:
                finish, latest = end, i
        for j in g.followers[i]:
            waiting[j] -= 1
            if not waiting[j]:
                stack.append(j)
        j = following[i]
        if j >= 0:
            waiting[j] -= 1
            if not waiting[j]:
                stack.append(j)
    if done < n:
        return None
    critical = []
    while latest >= 0:
        critical.append(latest)
        latest = binding[latest]
    return Timing(start, finish, finish * n + sum(region_finish), critical)


def orders_of(g: GreedyInstance, events: list[PlannedEvent]) -> Orders:
    index = {task: i for i, task in enumerate(g.tasks)}
    team = {t.code: k for k, t in enumerate(g.plan.teams)}
    orders: Orders = [[] for _ in g.plan.teams]
    for e in sorted(events, key=lambda e: (e.start, e.end)):
        orders[team[e.team]].append(index[(e.region, e.stage)])
    return orders


def events_of(g: GreedyInstance, orders: Orders, timing: Timing) -> list[PlannedEvent]:
    return [g.event(i, k, timing.start[i]) for k, order in enumerate(orders) for i in order]


def improve(
    g: GreedyInstance,
    events: list[PlannedEvent],
    seconds: float,
    *,
    floor: int = 0,
    seed: int = 0,
    heat: tuple[float, float] = (0.5, 0.02),
    should_stop: Callable[[], bool] | None = None,
    moves: int | None = None,
) -> list[PlannedEvent]:
    """A schedule at least as good as ``events`` found within ``seconds`` (and, when
    given, ``moves`` moves: then the cooling follows the moves, not the clock, and the
    same input gives the same schedule unless ``seconds`` cuts it short); stops early on
    reaching ``floor`` (days from the start), which no schedule can beat, or when
    ``should_stop`` (asked with the clock) says so."""
    return _anneal(
        g, events, seconds, floor=floor, seed=seed, heat=heat, should_stop=should_stop,
        moves=moves,
    )[0]  # fmt: skip


def _anneal(
    g: GreedyInstance,
    events: list[PlannedEvent],
    seconds: float,
    *,
    floor: int,
    seed: int,
    heat: tuple[float, float],
    should_stop: Callable[[], bool] | None,
    moves: int | None,
) -> tuple[list[PlannedEvent], int]:
    """``improve``'s search; also returns how many moves it made."""
    rng = random.Random(seed)  # noqa: S311 - variety among schedules, not secrecy
    orders = orders_of(g, events)
    timing = timed(g, orders)
    if timing is None:  # cannot happen for a valid schedule; keep what we have
        return events, 0
    best_orders, best = [list(o) for o in orders], timing
    n = len(g.tasks)
    # A day of finish costs n, so early on a move that loses half a day is often taken,
    # at the end hardly ever. Small plans settle fast: stop when nothing got better for a
    # while instead of spending the whole time.
    hot, cold = heat[0] * n, heat[1] * n
    patience = 200 * n
    temperature, steps, last_gain = hot, 0, 0
    began = time.perf_counter()
    while best.finish > floor and steps - last_gain < patience:
        if moves is not None and steps >= moves:
            break
        steps += 1
        if steps % 64 == 0:
            elapsed = time.perf_counter() - began
            if elapsed >= seconds or (should_stop is not None and should_stop()):
                break
            done = steps / moves if moves is not None else elapsed / seconds
            temperature = hot * (cold / hot) ** done
        candidate = _moved(g, orders, timing, rng)
        new = timed(g, candidate) if candidate is not None else None
        if new is None:
            continue
        delta = new.cost - timing.cost
        if delta <= 0 or rng.random() < math.exp(-delta / temperature):
            orders, timing = candidate, new
            # The best is judged by finish first: the cost's second term (the regions'
            # finishes) can outweigh a day of finish when regions are many.
            if (new.finish, new.cost) < (best.finish, best.cost):
                best_orders, best, last_gain = [list(o) for o in candidate], new, steps
    return events_of(g, best_orders, best), steps


def search_until(
    g: GreedyInstance,
    until: float,
    *,
    greedy_seconds: float,
    seed: int,
    floor: int = 0,
    start: list[PlannedEvent] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[PlannedEvent]:
    """The best schedule of the local search from ``start`` (or from greedy schedules) and,
    on large plans, from new greedy schedules with other seeds, until the wall-clock time
    ``until`` (``time.time()``), until one reaches ``floor`` or ``should_stop`` says so."""
    best: list[PlannedEvent] | None = None
    while True:
        if start is None:
            start = best_greedy_schedule(g, greedy_seconds, seed=seed)
        found = improve(
            g, start, until - time.time(), floor=floor, seed=seed, should_stop=should_stop
        )
        if best is None or finish_of(found) < finish_of(best):
            best = found
        days = (finish_of(best) - g.plan.start).days
        # Another round needs time for its greedy start and some search after it.
        left = until - time.time()
        if len(g.tasks) < RESTART_FROM_EVENTS or days <= floor or left < 2 * greedy_seconds:
            return best
        if should_stop is not None and should_stop():
            return best
        start, seed = None, seed + 1000  # far from the other process's seeds


def search_for_moves(
    g: GreedyInstance,
    moves: int,
    *,
    greedy_tries: int,
    seed: int,
    until: float,
    floor: int = 0,
    start: list[PlannedEvent] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[PlannedEvent]:
    """``search_until`` counted in work, not time: greedy starts of ``greedy_tries`` tries
    and ``moves`` local-search moves in all, restarts included, so the same input gives
    the same schedule. ``until`` (``time.time()``) is only the safety net."""
    best: list[PlannedEvent] | None = None
    left = moves
    while True:
        if start is None:
            start = best_greedy_schedule(
                g, max(until - time.time(), 0), seed=seed, tries=greedy_tries
            )
        found, used = _anneal(
            g, start, until - time.time(), floor=floor, seed=seed, heat=(0.5, 0.02),
            should_stop=should_stop, moves=left,
        )  # fmt: skip
        left -= used
        if best is None or finish_of(found) < finish_of(best):
            best = found
        days = (finish_of(best) - g.plan.start).days
        # Another round needs moves enough for some search after its greedy start.
        if len(g.tasks) < RESTART_FROM_EVENTS or days <= floor or left < moves // 10:
            return best
        if time.time() >= until or (should_stop is not None and should_stop()):
            return best
        start, seed = None, seed + 1000  # far from the other process's seeds


def _moved(g: GreedyInstance, orders: Orders, timing: Timing, rng: random.Random) -> Orders | None:
    """A copy of ``orders`` with one event moved or two swapped. Mostly an event on the
    path that decides the finish, or the event it waits for, put where its own region
    would let it start."""
    n = len(g.tasks)
    if rng.random() < 0.8:
        i = rng.choice(timing.critical)
        where = next(k for k, order in enumerate(orders) if i in order)
        position = orders[where].index(i)
        if position and rng.random() < 0.25:
            i = orders[where][position - 1]  # the event it may be waiting for
    else:
        i = rng.randrange(n)
        where = next(k for k, order in enumerate(orders) if i in order)
    moved = [list(o) for o in orders]
    kind = rng.random()
    if kind < 0.6:
        moved[where].remove(i)
        k = rng.choice(g.teams[i])
        ready = g.earliest[i]
        for j, lag in g.lags[i]:
            ready = max(ready, timing.start[j] + lag)
        target = (
            ready + rng.randint(-3, 10)
            if rng.random() < 0.7
            else timing.start[i] + rng.randint(-20, 20)
        )
        order = moved[k]
        position = 0
        while position < len(order) and timing.start[order[position]] < target:
            position += 1
        order.insert(position, i)
        return moved
    if kind < 0.8:
        # Swap with the next event of the same team.
        a = moved[where].index(i)
        if a + 1 >= len(moved[where]):
            return None
        moved[where][a], moved[where][a + 1] = moved[where][a + 1], moved[where][a]
        return moved
    near = [j for j in range(n) if j != i and abs(timing.start[j] - timing.start[i]) <= 10]
    if not near:
        return None
    j = rng.choice(near)
    other = next(k for k, order in enumerate(orders) if j in order)
    if other not in g.teams[i] or where not in g.teams[j]:
        return None
    a, b = moved[where].index(i), moved[other].index(j)
    moved[where][a], moved[other][b] = j, i
    return moved


# --- a second search in another process -------------------------------------------------


class SecondSearch:
    """A running child search; ``result`` waits for it (at most until its deadline plus
    ``GRACE_SECONDS``) and returns its schedule, or None when it has none to offer."""

    def __init__(self, process: subprocess.Popen[bytes], plan: PlanInput, until: float):
        self.process, self.plan, self.until = process, plan, until
        self.timed_out = False  # it overran its deadline and was stopped

    def result(self) -> list[PlannedEvent] | None:
        wait = max(self.until - time.time(), 0) + GRACE_SECONDS
        try:
            output, _ = self.process.communicate(timeout=wait)
        except subprocess.TimeoutExpired:
            self.timed_out = True
            self.stop()
            return None
        if self.process.returncode != 0:
            return None
        try:
            events = events_from_json(json.loads(output)["events"])
        except (ValueError, KeyError, TypeError):
            return None
        # The child is our own code, but a schedule is only offered once it is checked.
        return events if events and not violations(self.plan, events) else None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:  # not read to the end: a process it started may hold it
            self.process.stdout.close()


@contextmanager
def second_search(
    plan: PlanInput,
    events: int,
    greedy_seconds: float,
    until: float,
    seed: int,
    *,
    work: tuple[int, int] | None = None,
    always: bool = False,
) -> Iterator[SecondSearch | None]:
    """A child search (``parallel``) for large plans on machines with more than one core
    (or, with ``always``, whatever the cores: the deterministic mode's answer must not
    depend on the machine), else None: greedy starts and the local search with ``seed``
    until the wall-clock time ``until``, or, with ``work`` = (greedy tries, moves), for
    that much work (``search_for_moves``), ``until`` then being only the safety net. The
    child is stopped when the block ends, whatever happened in it."""
    cores = os.cpu_count() or 1
    if events < SECOND_SEARCH_FROM_EVENTS or (cores < 2 and not always):
        yield None
        return
    request = {
        "plan": plan_to_json(plan),
        "greedy_seconds": greedy_seconds,
        "until": until,
        "seed": seed,
    }
    if work is not None:
        request["greedy_tries"], request["moves"] = work
    try:
        # The request goes through a file, not a pipe: nothing to feed while the child runs.
        with tempfile.TemporaryFile() as request_file:
            request_file.write(json.dumps(request).encode())
            request_file.seek(0)
            process = subprocess.Popen(  # noqa: S603 - this interpreter, our module, no shell
                [sys.executable, "-m", CHILD_MODULE],
                stdin=request_file,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=_SOURCE_ROOT,  # "-m" looks here first: the same amparo as ours
            )
    except OSError:  # no process can be started: one search suffices
        yield None
        return
    search = SecondSearch(process, plan, until)
    try:
        yield search
    finally:
        search.stop()
