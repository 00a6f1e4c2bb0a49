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

from amparo.disclosure.model import CellKey, Constraint


@dataclass(frozen=True)
class Figure:
    """One number an output shows (``value``), or shows as hidden (``value is None``)."""

    cell: CellKey
    value: float | None
    where: str  # the output and the place in it, for the report


@dataclass(frozen=True)
class Ratio:
    """A ratio an output shows next to (or instead of) its parts: ``value`` is the sum of
    the ``numerator`` cells over the sum of the ``denominator`` cells, times ``scale`` (100
    for a percentage), as printed: the true ratio lies within ``value ± half``."""

    numerator: tuple[CellKey, ...]
    denominator: tuple[CellKey, ...]
    value: float
    half: float
    scale: float
    where: str

    def constraints(self) -> tuple[Constraint, Constraint]:
        """With the denominator ``d > 0`` (a ratio is only printed then), ``lo <= scale·n/d
        <= hi`` is ``scale·n - lo·d >= 0`` and ``scale·n - hi·d <= 0``: linear, so a ratio
        with its denominator known gives its numerator (and the other way round)."""
        label = f"ratio {self.value:g} shown at {self.where}"

        def terms(bound: float) -> tuple[tuple[CellKey, float], ...]:
            return (
                *((cell, self.scale) for cell in self.numerator),
                *((cell, -bound) for cell in self.denominator),
            )

        low, high = self.value - self.half, self.value + self.half
        return (
            Constraint(terms(low), 0.0, None, label),
            Constraint(terms(high), None, 0.0, label),
        )


def printed_half(text: str) -> float:
    """Half the last digit of a number as printed (``12.5`` → 0.05, ``1,500`` → 0.5)."""
    cleaned = text.strip().replace(",", "")
    decimals = len(cleaned.split(".", 1)[1]) if "." in cleaned else 0
    return 0.5 * 10.0**-decimals


@dataclass
class Gathered:
    """Everything a reader got: ``shown`` figures (a cell shown by any output is known),
    ``hidden`` cells (shown as hidden by some output and shown by none), ``relations``
    between cells that outputs print (ratios), where each came from, and the outputs
    called (``skipped``: those that failed, with why)."""

    shown: dict[CellKey, float] = field(default_factory=dict)
    hidden: set[CellKey] = field(default_factory=set)
    where: dict[CellKey, list[str]] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    figures: int = 0
    conflicts: list[tuple[CellKey, float, float]] = field(default_factory=list)
    # What the outputs tell besides single cells (a ratio printed next to its parts).
    relations: list[Constraint] = field(default_factory=list)

    def add(self, figures: Iterable[Figure | Ratio]) -> None:
        for figure in figures:
            self.figures += 1
            if isinstance(figure, Ratio):
                self.relations.extend(figure.constraints())
                continue
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
