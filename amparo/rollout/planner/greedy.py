"""Greedy schedules for the planner: the solver's starting point and horizon.

Pure Python, no Django. The search rarely improves much on a good starting schedule, so
the more schedules can be tried in the time given, the better the plan; everything is
counted in whole days on plain lists, prepared once per plan (``GreedyInstance``) and
reused by every try.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import timedelta

from amparo.rollout.planner.model import PlanInput, PlannedEvent, finish_of
from amparo.rollout.planner.rules import (
    critical_path_finish,
    merged_blackouts,
    stage_tails,
    tasks_of,
)


@dataclass(frozen=True)
class GreedyWeights:
    """How the greedy schedule ranks its choices besides the earliest start, in days."""

    tail: float = 0.0  # earlier by this much per 10 days of stages still to follow
    travel: float = 0.0  # later by this much per day of travel to get there
    noise: float = 0.0  # up to this much at random, to try other good schedules


@dataclass(frozen=True)
class GreedyInstance:
    """A plan's tasks as indices and whole days, in the order the ranking breaks ties."""

    plan: PlanInput
    tasks: list[tuple[str, str]]  # (region, stage), sorted
    region: list[int]  # region index of each task
    days: list[int]
    earliest: list[int]
    tail: list[int]  # days from the task's start to the end of its region's chain
    prerequisites: list[list[tuple[int, int]]]  # (task, gap) that must end first
    lags: list[list[tuple[int, int]]]  # (task, its days + gap): from its start to ours
    followers: list[list[int]]
    blackouts: list[list[tuple[int, int]]]  # per region: merged [first, last] days
    teams: list[list[int]]  # per task: capable team indices
    travel: list[list[int]]  # region index x region index

    @classmethod
    def of(cls, plan: PlanInput) -> GreedyInstance:
        stages = {s.code: s for s in plan.stages}
        codes = [r.code for r in plan.regions]
        where = {code: i for i, code in enumerate(codes)}
        tasks = sorted((r, s.code) for r, s in tasks_of(plan))
        index = {task: i for i, task in enumerate(tasks)}
        tails = stage_tails(plan)
        regions = {r.code: r for r in plan.regions}
        day = lambda d: (d - plan.start).days  # noqa: E731 - a local unit conversion
        prerequisites = [
            [
                (index[(r, p)], stages[code].min_gap_days)
                for p in stages[code].after
                if (r, p) in index
            ]
            for r, code in tasks
        ]
        followers: list[list[int]] = [[] for _ in tasks]
        for i, before in enumerate(prerequisites):
            for j, _gap in before:
                followers[j].append(i)
        return cls(
            plan=plan,
            tasks=tasks,
            region=[where[r] for r, _ in tasks],
            days=[stages[code].days for _, code in tasks],
            earliest=[day(regions[r].earliest) for r, _ in tasks],
            tail=[tails[code] for _, code in tasks],
            prerequisites=prerequisites,
            lags=[
                [(j, stages[tasks[j][1]].days + gap) for j, gap in before]
                for before in prerequisites
            ],
            followers=followers,
            blackouts=[
                [(day(first), day(last)) for first, last in merged_blackouts(r.blackouts)]
                for r in plan.regions
            ],
            teams=[
                [k for k, team in enumerate(plan.teams) if code in team.stages] for _, code in tasks
            ],
            travel=[[plan.travel(a, b) for b in codes] for a in codes],
        )

    def event(self, task: int, team: int, day: int) -> PlannedEvent:
        """Task ``task`` held by team ``team`` from ``day`` (days from the start)."""
        region, stage = self.tasks[task]
        first = self.plan.start + timedelta(days=day)
        return PlannedEvent(
            region,
            stage,
            self.plan.teams[team].code,
            first,
            first + timedelta(days=self.days[task]),
        )


def greedy_schedule(
    plan: PlanInput | GreedyInstance,
    weights: GreedyWeights = GreedyWeights(),
    rng: random.Random | None = None,
) -> list[PlannedEvent]:
    """A good schedule fast: repeatedly place the (ready task, capable team) pair that can
    start earliest, preferring tasks with the longest chain of stages still to come, then
    shorter travel; ``weights`` trade the start day against those preferences."""
    g = plan if isinstance(plan, GreedyInstance) else GreedyInstance.of(plan)
    n_teams = len(g.plan.teams)
    waiting = [len(before) for before in g.prerequisites]
    ready_day = list(g.earliest)
    ready = [i for i in range(len(g.tasks)) if not waiting[i]]
    team_free = [0] * n_teams
    team_at = [-1] * n_teams
    chosen: list[tuple[int, int, int]] = []  # (task, team, first day)
    noise = weights.noise if rng else 0.0
    while ready:
        best = None
        for i in ready:
            region, length, tail_bonus = g.region[i], g.days[i], weights.tail * g.tail[i] / 10
            for k in g.teams[i]:
                travel = g.travel[team_at[k]][region] if team_at[k] >= 0 else 0
                day = max(ready_day[i], team_free[k] + travel)
                for first, last in g.blackouts[region]:
                    if day <= last and first < day + length:
                        day = last + 1
                score = day - tail_bonus + weights.travel * travel
                if noise:
                    score += noise * rng.random()
                key = (score, day, -g.tail[i], day - team_free[k], i, k)
                if best is None or key < best:
                    best = key
        _score, day, _tail, _idle, i, k = best
        end = day + g.days[i]
        chosen.append((i, k, day))
        team_free[k], team_at[k] = end, g.region[i]
        ready.remove(i)
        for j in g.followers[i]:
            gap = next(gap for before, gap in g.prerequisites[j] if before == i)
            ready_day[j] = max(ready_day[j], end + gap)
            waiting[j] -= 1
            if not waiting[j]:
                ready.append(j)
        ready.sort()
    return [g.event(i, k, day) for i, k, day in chosen]


def best_greedy_schedule(
    instance: GreedyInstance, seconds: float, *, seed: int = 0, tries: int = 300
) -> list[PlannedEvent]:
    """The earliest-finishing of the plain greedy schedule and up to ``tries`` variants with
    random weights, tried for at most ``seconds``; stops early on reaching the chain
    bound, which no schedule can beat."""
    rng = random.Random(seed)  # noqa: S311 - variety among schedules, not secrecy
    deadline = time.perf_counter() + seconds
    floor = critical_path_finish(instance.plan)
    best = greedy_schedule(instance)
    best_finish = finish_of(best)
    for _ in range(tries):
        if best_finish <= floor or time.perf_counter() >= deadline:
            break
        weights = GreedyWeights(
            tail=rng.choice((0.5, 1.0, 2.0)),
            travel=rng.choice((0.0, 0.5, 1.0, 2.0)),
            noise=rng.choice((0.0, 1.0, 2.0)),
        )
        candidate = greedy_schedule(instance, weights, rng)
        finish = finish_of(candidate)
        if finish < best_finish:
            best, best_finish = candidate, finish
    return best
