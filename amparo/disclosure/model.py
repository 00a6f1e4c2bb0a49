"""The types shared by suppression and the audit (pure).

A *cell* is one published number, named by a ``CellKey``: a tuple of strings that says what
it counts, e.g. ``("obs", "IND-03", "PE-LOR", "2027-01", "age=10-14;sex=f")`` (an indicator's
value for a region, month and disaggregation) or ``("obs", "IND-03", "*", "2027", "")`` (the
program's total for a year). ``keys.py`` builds the keys amparo uses; the engine only needs
them to be hashable, comparable and stable.

What a reader knows about the cells is a set of linear *constraints* ``low <= sum(coef *
cell) <= high`` over non-negative counts: a total is the sum of its parts (``Constraint.sum``,
``low == high == 0``), a percentage published to one decimal bounds a part against its
whole, and so on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

CellKey = tuple[str, ...]


@dataclass(frozen=True)
class Constraint:
    """``low <= sum(coef * value of cell) <= high`` (``None``: unbounded on that side)."""

    terms: tuple[tuple[CellKey, float], ...]
    low: float | None = 0.0
    high: float | None = 0.0
    label: str = ""  # where it comes from ("total over sex", "months of 2027"), for reports

    @classmethod
    def sum(cls, total: CellKey, parts: Iterable[CellKey], *, label: str = "") -> Constraint:
        """``total == sum(parts)``."""
        return cls(((total, 1.0), *((p, -1.0) for p in parts)), 0.0, 0.0, label)

    @property
    def cells(self) -> tuple[CellKey, ...]:
        return tuple(cell for cell, _coef in self.terms)


class Linked:
    """Cells joined into connected groups (union-find with path compression): the parts
    that protection splits a table into and the pieces the audit solves apart."""

    def __init__(self) -> None:
        self.parent: dict[CellKey, CellKey] = {}

    def add(self, cell: CellKey) -> None:
        self.parent.setdefault(cell, cell)

    def root(self, cell: CellKey) -> CellKey:
        parent = self.parent
        root = cell
        while parent[root] != root:
            root = parent[root]
        while parent[cell] != root:
            parent[cell], cell = root, parent[cell]
        return root

    def join(self, cells: Iterable[CellKey]) -> None:
        """Put ``cells`` (added if new) in one group."""
        first = None
        for cell in cells:
            self.add(cell)
            root = self.root(cell)
            if first is None:
                first = root
            elif root != first:
                self.parent[root] = first

    def groups(self) -> dict[CellKey, list[CellKey]]:
        """Each group's cells, by its root, in the order they were added."""
        found: dict[CellKey, list[CellKey]] = {}
        for cell in self.parent:
            found.setdefault(self.root(cell), []).append(cell)
        return found


@dataclass(frozen=True)
class Table:
    """True values of every cell (non-negative whole counts) and how the cells relate.

    ``weights`` says how much it costs to hide a cell (default: its value, plus one), so
    that secondary suppression prefers few and small cells; ``known`` are cells the reader
    sees in full whatever their value (they may see a region's details), so they are never
    hidden and count as published. ``derived`` are cells amparo never prints but a reader
    can work out by subtraction (the remainder of a total its parts do not cover): they
    are never published, and protected like the others."""

    values: Mapping[CellKey, int]
    constraints: tuple[Constraint, ...]
    weights: Mapping[CellKey, float] = field(default_factory=dict)
    known: frozenset[CellKey] = frozenset()
    derived: frozenset[CellKey] = frozenset()

    def weight(self, cell: CellKey) -> float:
        """What hiding ``cell`` costs (its value plus one unless ``weights`` says)."""
        found = self.weights.get(cell)
        return float(self.values.get(cell, 0)) + 1.0 if found is None else found


@dataclass(frozen=True)
class Leak:
    """A hidden cell the published numbers pin (``low == high``) or narrow inside
    ``1 .. k-1``; ``constraints`` are the relations that did it (with their labels)."""

    cell: CellKey
    low: int
    high: int
    constraints: tuple[Constraint, ...]

    @property
    def pinned(self) -> bool:
        return self.low == self.high
