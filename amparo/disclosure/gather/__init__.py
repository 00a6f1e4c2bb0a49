"""What one reader can obtain from amparo's outputs, figure by figure.

Each output is called as that reader gets it (``outputs.py``: the API, the CSV and XLSX
downloads parsed back, the dashboards' chart series, the DHIS2 export, the report made
for them) and every figure it shows is named by its cell. Nothing here asks how the
protection was chosen: what counts is what comes out. ``reader.py`` makes the reader
(a person, a synthetic member never kept, or the public of a donor report).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from amparo.disclosure.model import CellKey


@dataclass(frozen=True)
class Figure:
    """One number an output shows (``value``), or shows as hidden (``value is None``)."""

    cell: CellKey
    value: float | None
    where: str  # the output and the place in it, for the report


@dataclass
class Gathered:
    """Everything a reader got: ``shown`` figures (a cell shown by any output is known),
    ``hidden`` cells (shown as hidden by some output and shown by none), where each came
    from, and the outputs called (``skipped``: those that failed, with why)."""

    shown: dict[CellKey, float] = field(default_factory=dict)
    hidden: set[CellKey] = field(default_factory=set)
    where: dict[CellKey, list[str]] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    figures: int = 0
    conflicts: list[tuple[CellKey, float, float]] = field(default_factory=list)

    def add(self, figures: Iterable[Figure]) -> None:
        for figure in figures:
            self.figures += 1
            places = self.where.setdefault(figure.cell, [])
            if len(places) < 10:  # enough to say where; a cell can be on every page
                places.append(figure.where)
            if figure.value is None:
                self.hidden.add(figure.cell)
                continue
            known = self.shown.setdefault(figure.cell, figure.value)
            if abs(known - figure.value) > 0.5:  # two outputs disagree: keep both to report
                self.conflicts.append((figure.cell, known, figure.value))

    def finish(self) -> Gathered:
        """A cell that any output shows is known, whatever another output hides."""
        self.hidden -= self.shown.keys()
        return self


Progress = Callable[[str], None]
