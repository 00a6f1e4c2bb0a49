"""The linear relations between the numbers amparo shows about an indicator (pure).

From the observations (one value per indicator, region, period and group of people), build
every cell a reader may see and how the cells add up, the way amparo combines them
(``amparo/indicators/aggregation.py``):

- over time, a month's or quarter's values make the year's: summed (``sum``), the latest
  one (``last``: a stock such as groups active), or averaged (``mean``; shown rounded, so
  the relation holds within the rounding);
- over regions, the regions make the program's value (``"*"``): summed, each region's
  latest value summed (``last``), or averaged (``mean``);
- over groups of people, a total is the sum of the values of each further dimension (the
  total over sex, "sex=f" over age band...). When the listed parts do not add up to the
  total, the difference is a *remainder* cell ``dim=_rest`` (``keys.REST``): a reader can
  subtract, so it is protected like a count. Parts that add up to more than their total
  are inconsistent data: no relation is made, and ``Relations.inconsistencies`` says so.

Only counts of people need protecting (``Unit.COUNT``); ratios are built from their two
counts and have no cells of their own here.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from amparo.disclosure import keys
from amparo.disclosure.model import CellKey, Constraint, Table

SUM, MEAN, LAST, RATIO = "sum", "mean", "last", "ratio"
COUNT = "count"
_TOLERANCE = 1e-6


class Row(NamedTuple):
    """One observation: ``period`` is the first day of its period."""

    indicator: str
    region: str
    period: date
    disaggregation: str
    value: float


@dataclass(frozen=True)
class Shape:
    """What amparo does with an indicator's values (its ``aggregation``, ``unit`` and
    ``frequency`` fields)."""

    aggregation: str = SUM
    unit: str = COUNT
    frequency: str = "monthly"

    @property
    def protected(self) -> bool:
        """Counts of people are; money, days, percentages and ratios are not."""
        return self.unit == COUNT and self.aggregation != RATIO


@dataclass(frozen=True)
class Relations:
    table: Table
    inconsistencies: tuple[str, ...]  # in plain words, for the data's owners to fix


def default_weights(
    values: Mapping[CellKey, float], cells: Iterable[CellKey] | None = None
) -> dict[CellKey, float]:
    """What hiding each of ``cells`` (default: all) costs: its value plus one, doubled for
    each way it is a total (the program, a year or all time, the total over groups), so
    that complementary suppression prefers inner cells, which say less."""
    found = {}
    for cell in values if cells is None else cells:
        value = float(values.get(cell, 0))
        level = 0
        if cell[0] == keys.OBS:
            level = (
                (cell[2] == keys.PROGRAM)
                + (keys.is_year(cell) or cell[3] == keys.ALL_TIME)
                + (cell[4] == "")
            )
        found[cell] = (value + 1.0) * 2**level
    return found


def build(
    rows: Iterable[Row],
    shapes: Mapping[str, Shape],
    *,
    region_names: Mapping[str, str] | None = None,
    years: bool = True,
    program: bool = True,
    known: Iterable[CellKey] = (),
    mean_decimals: int = 1,
) -> Relations:
    """The table of every cell of the protected indicators of ``shapes`` (others and
    unknown indicators are left out) and how they add up (see the module). ``years`` and
    ``program`` add the yearly and program cells amparo shows; ``known`` are cells the
    reader sees in full (``Table.known``); ``region_names`` make the labels readable."""
    names = region_names or {}
    base: dict[CellKey, float] = {}
    for row in rows:
        shape = shapes.get(row.indicator)
        if shape is None or not shape.protected:
            continue
        cell = keys.obs(
            row.indicator,
            row.region,
            keys.period_label(row.period, shape.frequency),
            row.disaggregation,
        )
        value = float(row.value)
        base[cell] = value if shape.aggregation == MEAN else float(round(value))
    builder = _Builder(names, mean_decimals)
    builder.values.update(base)
    if years:
        builder.add_years(base, shapes)
    if program:
        builder.add_program(base, shapes)
    builder.add_lattice(shapes)
    values = {
        cell: (v if shapes[cell[1]].aggregation == MEAN else round(v))
        for cell, v in builder.values.items()
    }
    table = Table(
        values=values,
        constraints=tuple(builder.constraints),
        weights=default_weights(values),
        known=frozenset(known),
        derived=frozenset(builder.derived),
    )
    return Relations(table, tuple(builder.inconsistencies))


class _Builder:
    def __init__(self, names: Mapping[str, str], mean_decimals: int) -> None:
        self.names = names
        self.decimals = mean_decimals
        self.values: dict[CellKey, float] = {}
        self.constraints: list[Constraint] = []
        self.derived: set[CellKey] = set()
        self.inconsistencies: list[str] = []

    def place(self, region: str) -> str:
        return "program" if region == keys.PROGRAM else self.names.get(region, region)

    def combine(self, method: str, total: CellKey, parts: list[CellKey], label: str) -> None:
        """``total`` made of ``parts`` by ``method``, its value and its relation."""
        values = [self.values[p] for p in parts]
        if method == MEAN:
            # Shown rounded: n * shown mean is the parts' sum within n half-units.
            n = len(parts)
            shown = round(sum(values) / n, self.decimals)
            slack = n * 0.5 * 10**-self.decimals
            self.values[total] = shown
            terms = ((total, float(n)), *((p, -1.0) for p in parts))
            self.constraints.append(Constraint(terms, -slack, slack, label))
            return
        self.values[total] = sum(values)
        self.constraints.append(Constraint.sum(total, parts, label=label))

    def add_years(self, base: Mapping[CellKey, float], shapes: Mapping[str, Shape]) -> None:
        periods: dict[tuple[str, str, str, str], list[CellKey]] = defaultdict(list)
        for cell in base:
            _obs, indicator, region, period, group = cell
            if shapes[indicator].frequency != "yearly":
                periods[(indicator, region, group, period[:4])].append(cell)
        for (indicator, region, group, year), cells in sorted(periods.items()):
            cells.sort()
            total = keys.obs(indicator, region, year, group)
            method = shapes[indicator].aggregation
            where = f"{indicator} {self.place(region)} {year}"
            if group:
                where += f" {group}"
            if method == LAST:
                self.combine(SUM, total, [cells[-1]], f"{where}: the year's latest value")
            else:
                parts = "quarters" if shapes[indicator].frequency == "quarterly" else "months"
                self.combine(method, total, cells, f"{where}: {parts} to year")

    def add_program(self, base: Mapping[CellKey, float], shapes: Mapping[str, Shape]) -> None:
        """Program cells for every period (and year) and group a region has a value of."""
        by_period: dict[tuple[str, str, str], list[CellKey]] = defaultdict(list)
        for cell in list(self.values):
            _obs, indicator, region, period, group = cell
            if region != keys.PROGRAM:
                by_period[(indicator, period, group)].append(cell)
        # For ``last``: each region's own periods, to find its latest value up to a period.
        history: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for _obs, indicator, region, period, group in base:
            if shapes[indicator].aggregation == LAST:
                history[(indicator, group, region)].append(period)
        regions_of: dict[tuple[str, str], list[str]] = defaultdict(list)
        for indicator, group, region in history:
            regions_of[(indicator, group)].append(region)
        for periods in history.values():
            periods.sort()
        for (indicator, period, group), cells in sorted(by_period.items()):
            method = shapes[indicator].aggregation
            total = keys.obs(indicator, keys.PROGRAM, period, group)
            label = f"{indicator} {period}{' ' + group if group else ''}: regions to program"
            if method == LAST:
                cells = self._latest_by_region(indicator, group, period, history, regions_of)
                label = (
                    f"{indicator} {period}{' ' + group if group else ''}: "
                    "each region's latest value to program"
                )
            self.combine(method, total, sorted(cells), label)

    @staticmethod
    def _latest_by_region(
        indicator: str,
        group: str,
        period: str,
        history: Mapping[tuple[str, str, str], list[str]],
        regions_of: Mapping[tuple[str, str], list[str]],
    ) -> list[CellKey]:
        # A year ("2027") is followed by "~" so that every period of it sorts before.
        until = period + "~" if len(period) == 4 else period
        found = []
        for region in sorted(regions_of[(indicator, group)]):
            periods = history[(indicator, group, region)]
            i = bisect.bisect_right(periods, until)
            if i:
                found.append(keys.obs(indicator, region, periods[i - 1], group))
        return found

    def add_lattice(self, shapes: Mapping[str, Shape]) -> None:
        """Totals over each further dimension, with remainders (see the module)."""
        groups: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        for _obs, indicator, region, period, group in self.values:
            groups[(indicator, region, period)].append(group)
        parsed: dict[str, dict[str, str]] = {}
        for (indicator, region, period), present in sorted(groups.items()):
            method = shapes[indicator].aggregation
            if method == MEAN and (region == keys.PROGRAM or len(period) == 4):
                continue  # rounded averages: their parts need not add up
            children: dict[tuple[str, str], list[str]] = defaultdict(list)
            for group in present:
                parts = parsed.get(group)
                if parts is None:
                    parts = parsed[group] = keys.parse_disaggregation(group)
                for dimension in parts:
                    rest = {d: v for d, v in parts.items() if d != dimension}
                    children[(keys.disaggregation(rest), dimension)].append(group)
            present_set = set(present)
            for (parent, dimension), members in sorted(children.items()):
                if parent in present_set:
                    self._split(indicator, region, period, parent, dimension, sorted(members))

    def _split(
        self,
        indicator: str,
        region: str,
        period: str,
        parent: str,
        dimension: str,
        members: list[str],
    ) -> None:
        total = keys.obs(indicator, region, period, parent)
        parts = [keys.obs(indicator, region, period, m) for m in members]
        where = f"{indicator} {self.place(region)} {period}{' ' + parent if parent else ''}"
        covered = sum(self.values[p] for p in parts)
        remainder = self.values[total] - covered
        if remainder < -_TOLERANCE:
            self.inconsistencies.append(
                f"{where}: the parts over {dimension} add up to {covered:g}, "
                f"more than the total {self.values[total]:g}"
            )
            return
        if remainder > _TOLERANCE:
            group = keys.parse_disaggregation(parent)
            group[dimension] = keys.REST
            rest = keys.obs(indicator, region, period, keys.disaggregation(group))
            self.values[rest] = remainder
            self.derived.add(rest)
            parts.append(rest)
        self.constraints.append(
            Constraint.sum(total, parts, label=f"{where}: total over {dimension}")
        )
