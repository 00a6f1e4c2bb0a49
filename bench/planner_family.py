"""Planner benchmark family: sizes x travel models x seeds, gaps and times.

Run: .venv/bin/python bench/planner_family.py [--sizes 5,25,50,100]
     [--models geographic,random] [--seeds 10] [--first-seed 1] [--limit S] [--wall]
     [--cap-factor F]
The instances come from ``amparo.rollout.planner.instances`` (documented there and in
docs/planner.md). Each plan gets its size's time limit (5 and 25 regions 10, 50 regions 30,
100 regions 60; ``--limit`` overrides), read as work units in the default deterministic
mode, as seconds with ``--wall``. Prints one line per instance (finish and proven bound in
days from the start, the gap, the time, whether every rule holds) and a summary per size
and model: worst gap first, median gap, worst time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from amparo.rollout.planner import plan_rollout, violations, work
from amparo.rollout.planner.instances import SIZES, TRAVEL_MODELS, family_instance, team_count


@dataclass(frozen=True)
class Row:
    size: int
    model: str
    seed: int
    teams: int
    finish: int
    bound: int
    gap: float
    seconds: float
    broken: int
    capped: bool


def run(size: int, model: str, seed: int, limit: float | None, wall: bool) -> Row:
    plan = family_instance(size, model, seed)
    if limit is not None:
        plan = replace(plan, time_limit_s=limit)
    began = time.perf_counter()
    result = plan_rollout(plan, deterministic=not wall)
    seconds = time.perf_counter() - began
    finish = result.finish_days or 0
    bound = finish - (result.gap_days or 0)
    gap = 100 * (finish - bound) / finish if finish else 0.0
    return Row(size, model, seed, team_count(seed), finish, bound, gap, seconds,
               len(violations(plan, result.events)), result.time_cap_reached)  # fmt: skip


def summary(rows: list[Row]) -> list[str]:
    lines = ["| regions | travel | instances | worst gap | median gap | worst time | invalid |",
             "|---|---|---|---|---|---|---|"]  # fmt: skip
    groups: dict[tuple[int, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.size, row.model), []).append(row)
    for (size, model), group in sorted(groups.items()):
        worst = max(group, key=lambda r: r.gap)
        lines.append(
            f"| {size} | {model} | {len(group)} | {worst.gap:.1f}% (seed {worst.seed}) "
            f"| {statistics.median(r.gap for r in group):.1f}% "
            f"| {max(r.seconds for r in group):.1f} s | {sum(r.broken > 0 for r in group)} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--models", default=",".join(TRAVEL_MODELS))
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=1)
    parser.add_argument("--limit", type=float, default=None, help="override the time limit")
    parser.add_argument("--wall", action="store_true", help="wall-clock limits, not work")
    parser.add_argument(
        "--cap-factor",
        type=float,
        default=work.CAP_FACTOR,
        help="the safety cap as a multiple of the limit: raise it on a busy machine so that "
        "the figures are the work limit's, not the cap's",
    )
    args = parser.parse_args()
    work.CAP_FACTOR = args.cap_factor
    rows = []
    print("regions travel seed teams finish bound gap time valid")
    for size in (int(s) for s in args.sizes.split(",")):
        for model in args.models.split(","):
            for seed in range(args.first_seed, args.first_seed + args.seeds):
                row = run(size, model, seed, args.limit, args.wall)
                rows.append(row)
                print(f"{size} {model} {seed} {row.teams} {row.finish} {row.bound} "
                      f"{row.gap:.1f}% {row.seconds:.1f}s "
                      f"{'ok' if not row.broken else f'{row.broken} VIOLATIONS'}"
                      f"{' (time cap reached)' if row.capped else ''}", flush=True)  # fmt: skip
    print()
    print("\n".join(summary(rows)))


if __name__ == "__main__":
    main()
