"""An event's attendance table as its reader may see it (pure, no Django import).

Which counts are hidden is the reader's release's decision (``amparo.disclosure``): the
same cells on the event page, in the workbook and in reports. Hidden cells and totals show
as the marker; a column total stays shown when the release shows it (its hidden cells are
then protected by other hidden cells).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from amparo.rollout.progress import CapacityWarning

Cell = int | str | None
MARKER = "c"


@dataclass(frozen=True)
class ShownTable:
    rows: list[tuple[Cell, ...]]
    totals: tuple[Cell, ...]


@dataclass(frozen=True)
class ShownWarning:
    what: str  # "pastors" or "churches"
    limit: int
    actual: int | None  # None: withheld, it would give a hidden count back


def shown_table(
    rows: Sequence[Sequence[int]],
    *,
    columns: int,
    hidden: Callable[[int | None, int], bool] = lambda _row, _column: False,
) -> ShownTable:
    """The rows' counts and each column's total as shown. ``hidden(row, column)`` says
    whether a cell is hidden (``row`` None: the column's total). No row total is shown,
    so none is computed."""
    shown_rows = [
        tuple(MARKER if hidden(i, c) else row[c] for c in range(columns))
        for i, row in enumerate(rows)
    ]
    totals = tuple(
        MARKER if hidden(None, c) else sum(row[c] for row in rows) for c in range(columns)
    )
    return ShownTable(shown_rows, totals)


def shown_warnings(
    warnings: Sequence[CapacityWarning], pastors_total: Cell, *, churches_shown: bool = True
) -> list[ShownWarning]:
    """Capacity warnings with the number of pastors only where the table shows their
    total, and the number of churches only where the list of churches is shown: a
    withheld count must not come back through the warning."""
    return [
        ShownWarning(
            w.what,
            w.limit,
            w.actual
            if (isinstance(pastors_total, int) if w.what == "pastors" else churches_shown)
            else None,
        )
        for w in warnings
    ]
