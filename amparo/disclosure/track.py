"""Cells and relations of the church track's counts (pure).

The counts viewers see besides indicator observations: an event's attendance table (per
organization and column, and each column's total), and a region's program line (pastors
trained, churches represented, groups launched and active, all time). They tie to the
computed indicators' monthly points: the pastors trained in a month are the sum of the
pastors of that month's done leader trainings, so an event's total equals its month's
point when it is the only training of the month.

Keys (``region`` is always the second element, so who knows a cell is easy to tell):
- ``("event", region, event_id, column, organization_id)``, column ``pastors``,
  ``leaders`` or ``others``; organization ``""`` for the column's total;
- ``("track", region, what)``, what ``pastors_trained``, ``churches_represented``,
  ``groups_launched``, ``groups_active`` (the program line, all time);
- the computed indicators' points are observation keys (``keys.obs``-shaped):
  ``("obs", code, region, "2027-03", "")``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from amparo.disclosure.model import CellKey, Constraint

COLUMNS = ("pastors", "leaders", "others")


def event_cell(region: str, event_id: int, column: str, organization_id: int | str = "") -> CellKey:
    return ("event", region, str(event_id), column, str(organization_id))


def track_cell(region: str, what: str) -> CellKey:
    return ("track", region, what)


def month_cell(code: str, region: str, month: date) -> CellKey:
    return ("obs", code, region, f"{month.year}-{month.month:02d}", "")


def region_of(cell: CellKey) -> str:
    """The region a cell belongs to (``"*"`` for the program)."""
    return cell[2] if cell[0] == "obs" else cell[1]


@dataclass(frozen=True)
class AttendanceRow:
    region: str
    event_id: int
    organization_id: int
    counts: tuple[int, int, int]  # pastors, leaders, others
    training_month: date | None  # the month a done leader training ends, else None
    church: bool


@dataclass(frozen=True)
class TrackFacts:
    """What the church track counts, read in a few queries (see ``counted.track_facts``)."""

    attendance: tuple[AttendanceRow, ...]
    launched: tuple[tuple[str, date], ...]  # (region, month) per recovery group launched
    active_now: tuple[tuple[str, int], ...]  # (region, groups active today)
    active_by_month: tuple[tuple[str, date, int], ...]  # groups meeting in a month


def track_table(
    facts: TrackFacts, codes: dict[str, str]
) -> tuple[dict[CellKey, int], list[Constraint]]:
    """Values and relations of the church-track cells. ``codes`` maps each computed
    indicator (``pastors_trained`` ...) to the code of the indicator computed from it, if
    one exists (its monthly points are then published too)."""
    values: dict[CellKey, int] = {}
    constraints: list[Constraint] = []
    by_event: dict[tuple[str, int], list[AttendanceRow]] = defaultdict(list)
    for row in facts.attendance:
        by_event[(row.region, row.event_id)].append(row)
    trainings: dict[tuple[str, date], list[tuple[str, int]]] = defaultdict(list)
    churches_in: dict[tuple[str, date], set[int]] = defaultdict(set)
    for (region, event_id), rows in by_event.items():
        for c, column in enumerate(COLUMNS):
            total = event_cell(region, event_id, column)
            parts = [event_cell(region, event_id, column, r.organization_id) for r in rows]
            for part, r in zip(parts, rows, strict=True):
                values[part] = r.counts[c]
            values[total] = sum(r.counts[c] for r in rows)
            constraints.append(Constraint.sum(total, parts, label=f"event {event_id} {column}"))
        month = rows[0].training_month
        if month is not None:
            trainings[(region, month)].append((region, event_id))
            churches_in[(region, month)] |= {r.organization_id for r in rows if r.church}
    per_region: dict[str, dict[str, list[CellKey]]] = defaultdict(lambda: defaultdict(list))
    pastors_code = codes.get("pastors_trained")
    for (region, month), events in trainings.items():
        parts = [event_cell(region, e, "pastors") for _r, e in events]
        if pastors_code:
            point = month_cell(pastors_code, region, month)
            values[point] = sum(values[p] for p in parts)
            constraints.append(Constraint.sum(point, parts, label="pastors trained in a month"))
            per_region[region]["pastors_trained"].append(point)
        else:
            per_region[region]["pastors_trained"] += parts
        churches_code = codes.get("churches_represented")
        if churches_code:
            values[month_cell(churches_code, region, month)] = len(churches_in[(region, month)])
    for region, parts_by in per_region.items():
        line = track_cell(region, "pastors_trained")
        values[line] = sum(values[p] for p in parts_by["pastors_trained"])
        constraints.append(
            Constraint.sum(line, parts_by["pastors_trained"], label="pastors trained, all time")
        )
    churches_all: dict[str, set[int]] = defaultdict(set)
    for row in facts.attendance:
        if row.training_month is not None and row.church:
            churches_all[row.region].add(row.organization_id)
    for region, found in churches_all.items():
        values[track_cell(region, "churches_represented")] = len(found)
    launched: dict[tuple[str, date], int] = defaultdict(int)
    for region, month in facts.launched:
        launched[(region, month)] += 1
    launched_code = codes.get("groups_launched")
    months_of: dict[str, list[CellKey]] = defaultdict(list)
    for (region, month), n in launched.items():
        if launched_code:
            point = month_cell(launched_code, region, month)
            values[point] = n
            months_of[region].append(point)
    for region in {r for r, _m in launched}:
        line = track_cell(region, "groups_launched")
        values[line] = sum(n for (r, _m), n in launched.items() if r == region)
        if months_of[region]:
            constraints.append(
                Constraint.sum(line, months_of[region], label="groups launched, all time")
            )
    for region, n in facts.active_now:
        values[track_cell(region, "groups_active")] = n
    active_code = codes.get("groups_active")
    if active_code:
        for region, month, n in facts.active_by_month:
            values[month_cell(active_code, region, month)] = n
    _program_totals(values, constraints, set(codes.values()))
    return values, constraints


def _program_totals(
    values: dict[CellKey, int], constraints: list[Constraint], codes: set[str]
) -> None:
    """The program's monthly point of each computed indicator: the sum of its regions'
    (a church, a group, an event belongs to one region)."""
    parts: dict[tuple[str, str], list[CellKey]] = defaultdict(list)
    for cell in values:
        if cell[0] == "obs" and cell[1] in codes and cell[2] != "*":
            parts[(cell[1], cell[3])].append(cell)
    for (code, month), cells in sorted(parts.items()):
        total: CellKey = ("obs", code, "*", month, "")
        values[total] = sum(values[c] for c in cells)
        constraints.append(Constraint.sum(total, sorted(cells), label="regions -> program"))


def groups_shown(region: str, hidden: Iterable[CellKey], codes: Iterable[str] = ()) -> bool:
    """Whether a region's list of recovery groups (and the groups' pages) may be shown.
    The list tells, by counting its items: how many groups were launched (its length), how
    many are active (their status), how many were launched each month (their launch
    dates) and, through each group's monthly reports, how many met each month. So only
    when none of those counts is hidden; ``codes`` are the indicators computed from groups
    launched and active (their monthly points)."""
    codes = frozenset(codes)
    return not any(
        (cell[0] == "track" and cell[1] == region and cell[2] in GROUP_LINES)
        or (cell[0] == "obs" and cell[2] == region and cell[1] in codes)
        for cell in hidden
    )


GROUP_LINES = ("groups_launched", "groups_active")
