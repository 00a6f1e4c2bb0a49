"""The audit of one reader: gather what they can obtain, relate it to all the data, and
list every hidden count that can still be worked out (``docs/disclosure.md``)."""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field

from amparo.disclosure import gather as gathering
from amparo.disclosure.gather import Gathered, Progress
from amparo.disclosure.gather.outputs import (
    DONOR_OUTPUTS,
    READER_OUTPUTS,
    Context,
    count_indicators,
)
from amparo.disclosure.gather.reader import Reader, client_for, visible_regions
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
        context = Context(reader, client, regions, Region.objects.count(), count_indicators())
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


def all_constraints() -> tuple[dict[CellKey, int], tuple[Constraint, ...]]:
    """The true values and relations of every cell over all the data: what a reader can
    know holds whatever is published (``relations.py``)."""
    from amparo.disclosure import relations

    table = relations.observation_table()
    return dict(table.values), tuple(table.constraints)


def check(reader: Reader, *, progress: Progress | None = None) -> Result:
    found = gather(reader, progress=progress)
    if progress:
        progress("relations")
    _values, constraints = all_constraints()
    if progress:
        progress(f"solving: {len(found.hidden)} hidden cells, {len(found.shown)} figures")
    from amparo.disclosure.audit import audit

    leaks = audit(found.shown, constraints, k=reader.k, hidden=frozenset(found.hidden))
    return Result(
        reader=reader.label,
        k=reader.k,
        figures=found.figures,
        outputs=found.outputs,
        hidden=len(found.hidden),
        leaks=[_report(leak, found) for leak in leaks],
        skipped=found.skipped,
    )


def in_words(cell: CellKey) -> str:
    """``IND-03, PE-LOR, 2027-01, sex=f`` as a person reads it."""
    if len(cell) == 5 and cell[0] == "obs":
        _kind, indicator, region, period, split = cell
        where = "all regions" if region == "*" else region
        return f"{indicator} in {where}, {period}, {split.replace(';', ' × ') or 'total'}"
    return " ".join(cell)


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
