"""Disclosure control at country scale: time and peak memory of building the relations,
choosing the cells to hide (``protect``) and auditing the result (``audit``).

Synthetic, seeded data shaped like amparo's: 25 regions, 50 indicators reported monthly
for 5 years, disaggregated by sex (2) x age band (4) x form of exploitation (5). Every
indicator has its total and the three one-dimension breakdowns; ``--crossed`` of them also
the sex x age table, and ``--full`` of those the full three-way table. Counts are small
(many 0-4) and sometimes a total exceeds its parts (people of unknown group).

    python bench/disclosure_bench.py                # full scale
    python bench/disclosure_bench.py --indicators 5 # a tenth of it

Protection and the audit run part by part (``protect.parts``: cells linked by relations;
here one indicator and year each), which is what ``protection`` does; ``--progress``
prints each part's time as it goes, so that a run stopped early still tells how far it
got and how long a part takes.
"""

from __future__ import annotations

import argparse
import itertools
import random
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from amparo.disclosure import keys
from amparo.disclosure.audit import audit
from amparo.disclosure.protect import Protection, parts, protection
from amparo.disclosure.relations import Row, Shape, build

SEX = ["f", "m"]
AGE = ["0-9", "10-14", "15-17", "18+"]
FORM = ["labour", "sexual", "begging", "crime", "other"]


def observation_rows(
    *, regions: int, indicators: int, years: int, crossed: int, full: int, seed: int
) -> list[Row]:
    rng = random.Random(seed)
    rows = []
    months = [date(2025 + m // 12, m % 12 + 1, 1) for m in range(12 * years)]
    for i in range(indicators):
        code = f"IND-{i:02d}"
        scale = rng.choice([0.5, 1, 2, 4])  # some indicators count few people
        for r in range(regions):
            region = f"PE-{r:02d}"
            for month in months:
                finest = {
                    (s, a, f): int(rng.expovariate(1 / scale))
                    for s, a, f in itertools.product(SEX, AGE, FORM)
                }
                groups: dict[str, int] = {}
                wanted = [(), ("sex",), ("age",), ("form",)]
                if i < crossed:
                    wanted.append(("age", "sex"))
                if i < full:
                    wanted += [("form", "sex"), ("age", "form"), ("age", "form", "sex")]
                for dims in wanted:
                    for (s, a, f), value in finest.items():
                        named = {"sex": s, "age": a, "form": f}
                        group = keys.disaggregation({d: named[d] for d in dims})
                        groups[group] = groups.get(group, 0) + value
                groups[""] += rng.choice([0, 0, 0, 1, 3])
                rows.extend(Row(code, region, month, g, v) for g, v in groups.items())
    return rows


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regions", type=int, default=25)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--crossed", type=int, default=20, help="indicators with sex x age")
    parser.add_argument("--full", type=int, default=5, help="of those, with all 3 crossed")
    parser.add_argument("--k", type=int, default=5)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--build-only", action="store_true", help="stop after the relations")
    parser.add_argument("--progress", action="store_true", help="print each part's time")
    args = parser.parse_args()

    steps = []

    def step(name, work):
        start = time.perf_counter()
        result = work()
        steps.append((name, time.perf_counter() - start, peak_mb()))
        return result

    rows = step(
        "synthetic observations",
        lambda: observation_rows(
            regions=args.regions,
            indicators=args.indicators,
            years=args.years,
            crossed=min(args.crossed, args.indicators),
            full=min(args.full, args.crossed, args.indicators),
            seed=args.seed,
        ),
    )
    shapes = {f"IND-{i:02d}": Shape() for i in range(args.indicators)}
    relations = step("relations (build)", lambda: build(rows, shapes))
    table = relations.table
    rows.clear()  # free the memory before protecting
    if args.build_only:
        print(
            f"{len(table.values):,} cells ({len(table.derived):,} remainders), "
            f"{len(table.constraints):,} relations, "
            f"{len(relations.inconsistencies)} inconsistencies"
        )
        for name, seconds, peak in steps:
            print(f"{name:<24}{seconds:>10.1f}{peak:>10.0f}")
        return
    pieces = step("parts", lambda: parts(table))
    print(f"{len(pieces):,} parts, the largest {max(len(p.values) for p in pieces):,} cells")
    results: list[Protection] = []
    audits: list[float] = []

    def protect_all():
        for n, piece in enumerate(pieces, 1):
            start = time.perf_counter()
            results.append(protection(piece, k=args.k))
            if args.progress:
                print(
                    f"  protect part {n}/{len(pieces)}: {len(piece.values):,} cells, "
                    f"{results[-1].rounds} rounds, {time.perf_counter() - start:.1f} s",
                    flush=True,
                )
        return Protection(
            frozenset().union(*(r.hidden for r in results)),
            frozenset().union(*(r.primary for r in results)),
            tuple(leak for r in results for leak in r.unprotectable),
            max(r.rounds for r in results),
        )

    result = step("protect", protect_all)
    hidden = result.hidden

    def audit_all():
        found = []
        for n, piece in enumerate(pieces, 1):
            start = time.perf_counter()
            published = {
                cell: value
                for cell, value in piece.values.items()
                if cell not in hidden and cell not in piece.derived
            }
            # With the true values as a starting table, as ``amparo disclosure-audit``
            # does (``checks.check``): they are one table the reader must allow.
            found += audit(
                published,
                piece.constraints,
                k=args.k,
                hidden=hidden & piece.values.keys(),
                feasible=piece.values,
            )
            audits.append(time.perf_counter() - start)
            if args.progress:
                print(f"  audit part {n}/{len(pieces)}: {audits[-1]:.1f} s", flush=True)
        return found

    leaks = step("audit of the result", audit_all)

    small = sum(1 for c in result.primary if c not in table.derived)
    print(
        f"{args.regions} regions, {args.indicators} indicators, {args.years} years monthly, "
        f"k={args.k}: {len(table.values):,} cells ({len(table.derived):,} remainders), "
        f"{len(table.constraints):,} relations"
    )
    print(
        f"hidden {len(hidden):,} ({small:,} small counts, {len(hidden) - small:,} complements); "
        f"protect took {result.rounds} audit rounds; leaks after protect: {len(leaks)}; "
        f"unprotectable: {len(result.unprotectable)}"
    )
    print(f"{'step':<24}{'seconds':>10}{'peak MB':>10}")
    for name, seconds, peak in steps:
        print(f"{name:<24}{seconds:>10.1f}{peak:>10.0f}")


if __name__ == "__main__":
    main()
