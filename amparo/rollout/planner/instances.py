"""The planner's benchmark family: synthetic plans generated from a seed.

Pure Python, no Django, nothing solved here: ``bench/planner_family.py`` plans them and
prints the gaps, and the tests import them for realistic instances of any size. The same
(size, travel model, seed) always gives the same plan.

- Regions ``R001``.. with the earliest start spread over 60 days and one blackout each
  (three in ten a second one), 7-45 days long, somewhere in the first five months.
- The 4-stage playbook with its gaps (meeting 2 days; conference 3 days, 21 days after;
  training 3 days, 30 days after; launch 1 day, 30 days after).
- 2, 3 or 5 teams with mixed skills (by seed: seed % 3), one of them able to deliver
  every stage.
- Travel, by model: ``geographic``, regions at random points of a square and travel
  ``1 + round(distance x speed)``, 1 to 9 days (metric: going via a third region is never
  faster); ``random``, 1 to 4 days drawn for every pair (not metric, as the first
  benchmark).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from amparo.rollout.planner.model import PlanInput, RegionInput, StageInput, TeamInput

TRAVEL_MODELS = ("geographic", "random")
SIZES = (5, 25, 50, 100)
# The time limit the targets are measured at, per size.
TIME_LIMITS = {5: 10.0, 25: 10.0, 50: 30.0, 100: 60.0}
START = date(2027, 1, 4)
MAX_GEOGRAPHIC_DAYS = 9

STAGES = (
    StageInput("meeting", 2),
    StageInput("conference", 3, ("meeting",), 21),
    StageInput("training", 3, ("conference",), 30),
    StageInput("launch", 1, ("training",), 30),
)
_ALL = frozenset(s.code for s in STAGES)
# Team line-ups by how many teams a plan has; the first team can deliver every stage.
TEAMS = {
    2: (
        TeamInput("A", _ALL),
        TeamInput("B", frozenset({"meeting", "training", "launch"})),
    ),
    3: (
        TeamInput("A", _ALL),
        TeamInput("B", frozenset({"meeting", "conference", "launch"})),
        TeamInput("C", frozenset({"training", "launch"})),
    ),
    5: (
        TeamInput("A", _ALL),
        TeamInput("B", frozenset({"meeting", "conference", "launch"})),
        TeamInput("C", frozenset({"training", "launch"})),
        TeamInput("D", frozenset({"meeting", "conference"})),
        TeamInput("E", frozenset({"conference", "training"})),
    ),
}


def team_count(seed: int) -> int:
    return (2, 3, 5)[seed % 3]


def family_instance(
    regions: int, travel_model: str, seed: int, *, time_limit_s: float | None = None
) -> PlanInput:
    """The benchmark plan of ``regions`` regions with ``travel_model`` travel and ``seed``;
    its time limit is the target's for that size unless ``time_limit_s`` is given."""
    if travel_model not in TRAVEL_MODELS:
        raise ValueError(f"unknown travel model {travel_model!r}")
    rng = random.Random(f"{regions}-{travel_model}-{seed}")  # noqa: S311 - synthetic data
    codes = [f"R{i + 1:03d}" for i in range(regions)]
    region_inputs = tuple(
        RegionInput(code, START + timedelta(days=rng.randint(0, 60)), _blackouts(rng))
        for code in codes
    )
    if travel_model == "geographic":
        travel = geographic_travel(codes, rng)
    else:
        travel = {a: {b: rng.randint(1, 4) for b in codes if b > a} for a in codes}
    limit = time_limit_s if time_limit_s is not None else TIME_LIMITS.get(regions, 10.0)
    return PlanInput(START, region_inputs, STAGES, TEAMS[team_count(seed)], travel, limit)


def _blackouts(rng: random.Random) -> tuple[tuple[date, date], ...]:
    periods = []
    first = START + timedelta(days=rng.randint(20, 150))
    periods.append((first, first + timedelta(days=rng.randint(7, 45))))
    if rng.random() < 0.3:
        first = periods[0][1] + timedelta(days=rng.randint(20, 120))
        periods.append((first, first + timedelta(days=rng.randint(7, 30))))
    return tuple(periods)


def geographic_travel(codes: list[str], rng: random.Random) -> dict[str, dict[str, int]]:
    """Regions at random points of the unit square; the two farthest possible apart are
    ``MAX_GEOGRAPHIC_DAYS`` days apart, neighbours one day. Metric: ``1 + round(x)`` keeps
    the triangle inequality whenever ``x`` does."""
    points = {code: (rng.random(), rng.random()) for code in codes}
    speed = (MAX_GEOGRAPHIC_DAYS - 1) / math.sqrt(2)
    return {
        a: {b: 1 + round(math.dist(points[a], points[b]) * speed) for b in codes if b > a}
        for a in codes
    }
