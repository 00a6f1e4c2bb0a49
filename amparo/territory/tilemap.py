"""The tile-grid map of a country pack's regions: one equal square per region, placed so
that neighbours stay next to each other, drawn on the server as SVG (no tile server, no
request elsewhere; it prints).

Positions come from the regions' capitals (``Region.capital_point``, loaded from the
country pack's ``territory.json``): each capital's rank from west to east gives its
column and its rank from north to south its row, both scaled to a square grid of ``k``
by ``k`` tiles; ``k`` starts at the smallest square that holds every region and grows
until no two regions share a tile. At ``k`` equal to the number of regions the ranks
themselves are the positions, so a layout always exists. A region west of another is
never drawn east of it (and likewise north of it), since scaling a rank keeps its order.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

TILE = 56  # the side of a tile in SVG units
GAP = 4


@dataclass(frozen=True)
class Tile:
    code: str
    row: int
    col: int

    @property
    def x(self) -> int:
        return self.col * (TILE + GAP)

    @property
    def y(self) -> int:
        return self.row * (TILE + GAP)


def _ranks(values: Mapping[str, float]) -> dict[str, int]:
    """Each key's place when sorted by value (ties by key), from 0."""
    order = sorted(values, key=lambda code: (values[code], code))
    return {code: place for place, code in enumerate(order)}


def tile_grid(capitals: Mapping[str, tuple[float, float]]) -> list[Tile]:
    """A tile per region code of ``capitals`` ({code: (latitude, longitude)}), north at
    the top, sorted by row then column."""
    n = len(capitals)
    if n == 0:
        return []
    cols = _ranks({code: lon for code, (_, lon) in capitals.items()})
    rows = _ranks({code: -lat for code, (lat, _) in capitals.items()})
    for k in range(math.isqrt(n - 1) + 1, n + 1):
        placed = {code: (rows[code] * k // n, cols[code] * k // n) for code in capitals}
        if len(set(placed.values())) == n:
            break
    tiles = [Tile(code, row, col) for code, (row, col) in placed.items()]
    return sorted(tiles, key=lambda t: (t.row, t.col))


def size(tiles: list[Tile]) -> tuple[int, int]:
    """The SVG width and height that hold ``tiles``."""
    if not tiles:
        return (0, 0)
    cols = max(t.col for t in tiles) + 1
    rows = max(t.row for t in tiles) + 1
    return (cols * (TILE + GAP) - GAP, rows * (TILE + GAP) - GAP)


@dataclass(frozen=True)
class PlanStep:
    """What the plan map needs of a planned event."""

    region: str
    team: str
    start: date


def plan_order(steps: Iterable[PlanStep]) -> dict[str, tuple[int, tuple[str, ...]]]:
    """Per region code, its place in a plan (1 for the region whose first event starts
    first; ties by code) and the teams of its events, sorted."""
    first: dict[str, date] = {}
    teams: dict[str, set[str]] = {}
    for step in steps:
        first[step.region] = min(first.get(step.region, step.start), step.start)
        teams.setdefault(step.region, set()).add(step.team)
    order = sorted(first, key=lambda code: (first[code], code))
    return {code: (place + 1, tuple(sorted(teams[code]))) for place, code in enumerate(order)}
