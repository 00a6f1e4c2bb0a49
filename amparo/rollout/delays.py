"""How late could a plan finish? A Monte Carlo run over a fixed plan (pure Python).

Each run draws a delay per event from a triangular distribution (minimum, most likely,
maximum extra days) and lengthens the event by it. Nothing starts before its planned day;
a late event pushes the events after it: the same team's next event (plus travel), the
region's next stages (plus their gaps) and past blackouts. The plan's order and team
assignment stay as they are.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from amparo.rollout.planner import PlanInput, PlannedEvent, first_free_day


@dataclass(frozen=True)
class DelayModel:
    minimum: int = 0
    most_likely: int = 0
    maximum: int = 0
    runs: int = 500
    seed: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.minimum <= self.most_likely <= self.maximum:
            raise ValueError("delays need 0 <= minimum <= most likely <= maximum")
        if not 1 <= self.runs <= 20000:
            raise ValueError("runs must be between 1 and 20000")


@dataclass(frozen=True)
class DelayOutcome:
    p50: date
    p90: date
    finishes: tuple[date, ...]


def _percentile(sorted_days: Sequence[date], fraction: float) -> date:
    """The nearest-rank percentile: the smallest day with at least ``fraction`` at or below."""
    rank = max(1, -(-len(sorted_days) * int(fraction * 100) // 100))
    return sorted_days[rank - 1]


def simulate_finish(plan: PlanInput, events: Sequence[PlannedEvent], delays: Sequence[int]) -> date:
    """The finish if each event ``i`` runs ``delays[i]`` days longer than planned."""
    stages = {s.code: s for s in plan.stages}
    regions = {r.code: r for r in plan.regions}
    order = sorted(range(len(events)), key=lambda i: (events[i].start, events[i].end))
    ends: dict[tuple[str, str], date] = {}
    team_last: dict[str, tuple[str, date]] = {}
    finish = plan.start
    for i in order:
        event = events[i]
        stage = stages[event.stage]
        length = stage.days + delays[i]
        day = event.start
        for prerequisite in stage.after:
            if (event.region, prerequisite) in ends:
                gap = timedelta(days=stage.min_gap_days)
                day = max(day, ends[(event.region, prerequisite)] + gap)
        if event.team in team_last:
            where, free = team_last[event.team]
            day = max(day, free + timedelta(days=plan.travel(where, event.region)))
        day = first_free_day(regions[event.region], day, length)
        end = day + timedelta(days=length)
        ends[(event.region, event.stage)] = end
        team_last[event.team] = (event.region, end)
        finish = max(finish, end)
    return finish


def simulate_delays(
    plan: PlanInput, events: Sequence[PlannedEvent], model: DelayModel
) -> DelayOutcome:
    """P50 and P90 finish dates over ``model.runs`` draws (repeatable for a given seed)."""
    rng = random.Random(model.seed)  # noqa: S311 - simulation, not security
    finishes = []
    for _ in range(model.runs):
        delays = [
            round(rng.triangular(model.minimum, model.maximum, model.most_likely))
            for _event in events
        ]
        finishes.append(simulate_finish(plan, events, delays))
    finishes.sort()
    return DelayOutcome(_percentile(finishes, 0.5), _percentile(finishes, 0.9), tuple(finishes))
