"""Planner benchmark: 25 regions, the 4-stage playbook, 3 teams, 10 s limit.

Run: .venv/bin/python bench/planner_bench.py [--regions 25] [--seed 1] [--workers 8]
(8 search workers is what the app uses, whatever the number of cores.)
The limit is read as work units (the planner's deterministic mode), as seconds with --wall.
The family of instances the targets are measured on is bench/planner_family.py.
Prints solve time, finish, proven lower bound and the gap (target: gap <= 5% within 10 s).
The instance is synthetic: region codes R01..R25, travel 1-4 days, one rainy-season
blackout in some regions.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from amparo.rollout.planner import (
    PlanInput,
    RegionInput,
    StageInput,
    TeamInput,
    plan_rollout,
    violations,
)


def instance(n_regions: int, seed: int) -> PlanInput:
    rng = random.Random(seed)
    start = date(2027, 1, 4)
    stages = (
        StageInput("meeting", 2),
        StageInput("conference", 3, ("meeting",), 21),
        StageInput("training", 3, ("conference",), 30),
        StageInput("launch", 1, ("training",), 30),
    )
    regions = []
    for i in range(n_regions):
        blackouts = ()
        if rng.random() < 0.4:
            first = start + timedelta(days=rng.randint(20, 120))
            blackouts = ((first, first + timedelta(days=rng.randint(7, 45))),)
        regions.append(RegionInput(f"R{i + 1:02d}", start + timedelta(days=rng.randint(0, 60)),
                                   blackouts))  # fmt: skip
    teams = (
        TeamInput("A", frozenset({"meeting", "conference", "training", "launch"})),
        TeamInput("B", frozenset({"meeting", "conference", "launch"})),
        TeamInput("C", frozenset({"training", "launch"})),
    )
    codes = [r.code for r in regions]
    travel = {a: {b: rng.randint(1, 4) for b in codes if b > a} for a in codes}
    return PlanInput(start, tuple(regions), stages, teams, travel, 10.0)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--regions", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--wall", action="store_true", help="wall-clock limit, not work units")
    args = parser.parse_args()
    plan = instance(args.regions, args.seed)
    plan = replace(plan, time_limit_s=args.limit)
    began = time.perf_counter()
    result = plan_rollout(plan, workers=args.workers, deterministic=not args.wall)
    wall = time.perf_counter() - began
    bound = result.finish_days - result.gap_days
    print(f"regions={args.regions} seed={args.seed} workers={args.workers} status={result.status}")
    print(f"wall={wall:.2f}s solve={result.solve_seconds:.2f}s")
    print(f"finish={result.finish} ({result.finish_days} d) "
          f"lower_bound={result.lower_bound} ({bound} d)")  # fmt: skip
    print(f"gap={result.gap_percent:.1f}% baseline_sequential={result.baseline_sequential_finish}")
    print(f"violations={len(violations(plan, result.events))}")


if __name__ == "__main__":
    main()
