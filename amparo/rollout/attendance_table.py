"""An event's attendance table as its reader may see it (pure, no Django import).

Those who may not see small counts get counts from 1 to 4 as "<5", and a column's total
is withheld whenever it would give a hidden cell back (``suppress_with_total``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from amparo.rollout.progress import CapacityWarning
from amparo.suppression import suppress_with_total

Cell = int | str | None


@dataclass(frozen=True)
class ShownTable:
    rows: list[tuple[Cell, ...]]
    totals: tuple[Cell, ...]


@dataclass(frozen=True)
class ShownWarning:
    what: str  # "pastors" or "churches"
    limit: int
    actual: int | None  # None: withheld, it would give a hidden count back


def shown_table(rows: Sequence[Sequence[int]], *, columns: int, see_small: bool) -> ShownTable:
    """The rows' counts and each column's total as shown: everything as it is when
    ``see_small``, else suppressed cell by cell, with each column total suppressed
    together with its cells. No row total is shown, so none is computed."""
    if see_small:
        return ShownTable(
            [tuple(row) for row in rows],
            tuple(sum(row[c] for row in rows) for c in range(columns)),
        )
    shown_columns = [suppress_with_total([row[c] for row in rows]) for c in range(columns)]
    return ShownTable(
        [tuple(cells[i] for cells, _total in shown_columns) for i in range(len(rows))],
        tuple(total for _cells, total in shown_columns),
    )


def shown_warnings(warnings: Sequence[CapacityWarning], pastors_total: Cell) -> list[ShownWarning]:
    """Capacity warnings with the number of pastors only where the table shows their
    total: a withheld total must not come back through the warning."""
    return [
        ShownWarning(
            w.what,
            w.limit,
            w.actual if w.what != "pastors" or isinstance(pastors_total, int) else None,
        )
        for w in warnings
    ]
