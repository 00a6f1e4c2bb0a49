"""The audit of one reader: gather what they can obtain, relate it to all the data, and
list every hidden count that can still be worked out (``docs/disclosure.md``)."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field

from amparo.disclosure import gather as gathering
from amparo.disclosure import keys, relations
from amparo.disclosure.gather import Gathered, Progress
from amparo.disclosure.gather.outputs import (
    DONOR_OUTPUTS,
    READER_OUTPUTS,
    Context,
    count_indicators,
    ratio_indicators,
)
from amparo.disclosure.gather.reader import Reader, client_for, reader_for, visible_regions
from amparo.disclosure.model import CellKey, Constraint, Leak
from amparo.territory.models import Region

logger = logging.getLogger("amparo.disclosure")


@dataclass(frozen=True)
class LeakReport:
    """A leak in words: the cell, the range it is narrowed to, and where the figures that
    narrow it were published."""

    cell: str
    key: list[str]
    low: int
    high: int
    pinned: bool
    relations: list[str]
    published: list[str]


@dataclass
class Result:
    reader: str
    k: int
    figures: int
    outputs: list[str]
    hidden: int
    leaks: list[LeakReport] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.leaks


def gather(reader: Reader, *, progress: Progress | None = None) -> Gathered:
    """Every figure ``reader`` can get from the outputs (``gather/outputs.py``). An output
    that fails is reported as not covered, not silently left out."""
    found = Gathered()
    outputs = DONOR_OUTPUTS if reader.donor else READER_OUTPUTS
    regions = visible_regions(reader)
    with client_for(reader) as client:
        context = Context(
            reader,
            client,
            regions,
            Region.objects.count(),
            count_indicators(),
            ratio_indicators(),
        )
        for number, (name, collect) in enumerate(outputs.items(), start=1):
            if progress:
                progress(f"{number}/{len(outputs)} {name}")
            try:
                found.add(collect(context))
            except Exception as error:
                logger.exception("disclosure audit: output %s failed", name)
                found.skipped[name] = f"{type(error).__name__}: {error}"
            else:
                found.outputs.append(name)
    return found.finish()


def all_rows() -> tuple[list[relations.Row], dict[str, relations.Shape], dict[str, str]]:
    """Every value of every indicator over all regions, typed and computed (church-track
    indicators come from the rollout data), with each indicator's shape."""
    from amparo.indicators.models import Indicator, Observation
    from amparo.indicators.queries import computed_points

    indicators = list(Indicator.objects.all())
    shapes = {
        i.code: relations.Shape(aggregation=i.aggregation, unit=i.unit, frequency=i.frequency)
        for i in indicators
    }
    regions = list(Region.objects.all())
    codes = {str(r.pk): r.code for r in regions}
    rows = [
        relations.Row(code, region, period, split, float(value))
        for code, region, period, split, value in Observation.objects.values_list(
            "indicator__code", "region__code", "period", "disaggregation", "value"
        )
    ]
    computed = computed_points(regions)
    for indicator in indicators:
        for point in computed.get(indicator.computed_from, []) if indicator.computed_from else []:
            rows.append(
                relations.Row(indicator.code, codes[point.region], point.period, "", point.value)
            )
    return rows, shapes, {r.code: r.name for r in regions}


def all_constraints() -> tuple[dict[CellKey, float], tuple[Constraint, ...]]:
    """The true values and the relations of every cell over all the data: what a reader
    can know holds whatever is published (``relations.py``)."""
    from amparo.disclosure import counted, track

    rows, shapes, names = all_rows()
    table = relations.build(rows, shapes, region_names=names).table
    values = dict(table.values)
    constraints = list(table.constraints)
    track_values, track_constraints = track.track_table(
        counted.track_facts(), counted.computed_codes()
    )
    for cell, value in track_values.items():
        values.setdefault(cell, value)
    # Relations among indicator values alone are the engine's (``relations.build`` above
    # knows each indicator's method, "latest value" included); the church track adds
    # those that tie events and program lines to them.
    constraints += [c for c in track_constraints if any(cell[0] != keys.OBS for cell in c.cells)]
    return values, tuple(constraints)


def known_regions(reader: Reader) -> set[str]:
    """The regions whose counts the reader may see in full (none for donors): their small
    counts are no leak. The program's cells are known when every region is."""
    if reader.donor:
        return set()
    from amparo.accounts import access

    found = {r.code for r in visible_regions(reader) if access.sees_small_counts(reader.user, r)}
    if found and len(found) == Region.objects.count():
        found.add(keys.PROGRAM)
    return found


def shown_small(
    found: Gathered, values: dict[CellKey, float], *, k: int, known: set[str]
) -> list[Leak]:
    """Counts from 1 to ``k - 1`` an output shows as they are, outside the reader's known
    regions: the plainest leak, no arithmetic needed."""
    return [
        Leak(cell, round(value), round(value), (Constraint((), label="shown as it is"),))
        for cell, value in sorted(found.shown.items())
        if cell in values and _region(cell) not in known and 1 <= round(value) <= k - 1
    ]


def check(
    *,
    username: str = "",
    role: str = "",
    region: str = "",
    donor: bool = False,
    progress: Progress | None = None,
) -> Result:
    """The audit of one reader (see ``reader_for``). Gathering runs inside the reader's
    transaction, which is rolled back; solving runs after it."""
    from amparo.disclosure import worker_protection

    with reader_for(username=username, role=role, region=region, donor=donor) as reader:
        if progress:
            progress("protections")
        worker_protection.protect_now(reader.user)  # the outputs read must not be pending
        found = gather(reader, progress=progress)
        known = known_regions(reader)
        label, k = reader.label, reader.k
    return solve(found, label=label, k=k, known=known, progress=progress)


def solve(
    found: Gathered, *, label: str, k: int, known: set[str], progress: Progress | None = None
) -> Result:
    """Bound every hidden and unpublished cell given what was ``found`` and all the data's
    relations; cells of ``known`` regions are the reader's to see."""
    from amparo.disclosure.audit import InconsistentPublication, audit

    if progress:
        progress("relations over all the data")
    values, constraints = all_constraints()
    constraints = (*constraints, *found.relations)  # what the outputs printed (ratios)
    if progress:
        progress(f"solving: {len(found.hidden)} hidden cells, {len(found.shown)} figures")
    leaks = shown_small(found, values, k=k, known=known)
    try:
        leaks += audit(
            found.shown, constraints, k=k, hidden=frozenset(found.hidden), feasible=values
        )
    except InconsistentPublication as error:
        found.skipped["relations"] = str(error)[:500]
    except RuntimeError as error:  # the solver gave up: nothing is proved
        found.skipped["solver"] = str(error)[:500]
    leaks = [leak for leak in leaks if _about_others(leak.cell, values, known)]
    return Result(
        reader=label,
        k=k,
        figures=found.figures,
        outputs=found.outputs,
        hidden=len(found.hidden),
        leaks=[_report(leak, found) for leak in leaks],
        skipped=found.skipped,
    )


def _region(cell: CellKey) -> str:
    """The region a cell is about (``"*"``: the program): third in an indicator's key,
    second in the church track's (``track.py``)."""
    return cell[2] if cell[0] == keys.OBS else cell[1]


def _about_others(cell: CellKey, values: dict[CellKey, float], known: set[str]) -> bool:
    """Whether ``cell`` holds counts the reader may not see in full: a cell of another
    region, or a program cell to which another region gives something (a program total
    that is only the reader's own region tells them nothing new)."""
    if not known:
        return True
    if _region(cell) != keys.PROGRAM or cell[0] != keys.OBS:
        return _region(cell) not in known
    return any(
        value > 0
        for other, value in values.items()
        if other[0] == keys.OBS
        and other[2] not in known
        and other[2] != keys.PROGRAM
        and (other[1], other[3], other[4]) == (cell[1], cell[3], cell[4])
    )


def in_words(cell: CellKey) -> str:
    """``IND-03 · PE-LOR · 2027-01 · sex=f`` as a person reads it."""
    return keys.describe(cell)


def _report(leak: Leak, found: Gathered) -> LeakReport:
    parts = {c for constraint in leak.constraints for c in constraint.cells} - {leak.cell}
    published = sorted(
        {f"{in_words(c)}: {place}" for c in parts if c in found.shown for place in found.where[c]}
    )
    return LeakReport(
        cell=in_words(leak.cell),
        key=list(leak.cell),
        low=leak.low,
        high=leak.high,
        pinned=leak.pinned,
        relations=sorted({c.label for c in leak.constraints if c.label}),
        published=published[:20],
    )


def as_text(result: Result) -> str:
    lines = [f"reader: {result.reader} (k = {result.k})"]
    for name, why in result.skipped.items():
        lines.append(f"NOT COVERED: output {name} failed: {why}")
    for leak in result.leaks:
        shown = f"= {leak.low}" if leak.pinned else f"in {leak.low}..{leak.high}"
        lines.append(f"LEAK: {leak.cell} {shown}")
        lines += [f"  by: {label}" for label in leak.relations]
        lines += [f"  from: {place}" for place in leak.published]
    if result.ok:
        lines.append(
            f"no leak found: {result.figures} figures from {len(result.outputs)} outputs, "
            f"{result.hidden} hidden cells checked"
        )
    else:
        lines.append(f"{len(result.leaks)} leak(s) found")
    return "\n".join(lines)


def as_json(result: Result) -> str:
    return json.dumps({**asdict(result), "ok": result.ok}, ensure_ascii=False, indent=1)


__all__ = ["LeakReport", "Result", "as_json", "as_text", "check", "gather", "gathering"]
