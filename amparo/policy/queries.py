"""Reads of the national policy."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.mitigation.models import Measure
from amparo.policy import alignment
from amparo.policy.models import ItemKind, PolicyInstrument, PolicyItem
from amparo.territory.models import Region


@dataclass(frozen=True)
class InstrumentPage:
    instrument: PolicyInstrument
    items: list[PolicyItem]  # parents first: objectives, guidelines, services, axes
    recorded: dict[str, int]  # kind -> entries recorded


KIND_ORDER = [ItemKind.OBJECTIVE, ItemKind.GUIDELINE, ItemKind.SERVICE, ItemKind.AXIS]


def instruments_with_items() -> list[InstrumentPage]:
    """Every policy and protocol with its entries, in two queries."""
    instruments = list(PolicyInstrument.objects.all())
    items = sorted(
        PolicyItem.objects.select_related("instrument", "parent"),
        key=lambda i: (KIND_ORDER.index(i.kind), i.number or 0, i.code),
    )
    pages = []
    for instrument in instruments:
        own = [i for i in items if i.instrument_id == instrument.pk]
        pages.append(InstrumentPage(instrument, own, dict(Counter(i.kind for i in own))))
    return pages


@dataclass(frozen=True)
class AlignmentRow:
    item: PolicyItem
    state: alignment.State
    measures: list[Measure]  # those serving it, by region, sector and title


@dataclass(frozen=True)
class Alignment:
    regions: list[Region]
    rows: list[AlignmentRow]
    totals: dict[alignment.State, int]

    @property
    def covered(self) -> int:
        return self.totals[alignment.State.COVERED]

    @property
    def in_progress(self) -> int:
        return self.totals[alignment.State.IN_PROGRESS]

    @property
    def not_covered(self) -> int:
        return self.totals[alignment.State.NOT_COVERED]


def policy_alignment(user: User | None, regions: list[Region]) -> Alignment:
    """How the measures of ``regions`` that ``user`` may read (``access.sector_scope``)
    serve the national policy: every entry in which regional governments take part, with
    the measures serving it and its state (``amparo/policy/alignment.py``). Three queries,
    however many entries and measures."""
    items = sorted(
        PolicyItem.objects.select_related("instrument"),
        key=lambda i: (i.instrument.kind, KIND_ORDER.index(i.kind), i.number or 0, i.code),
    )
    measures = list(
        Measure.objects.filter(access.sector_scope(user, regions))
        .select_related("region", "sector")
        .prefetch_related(Prefetch("policy_items", queryset=PolicyItem.objects.only("pk")))
        .order_by("region__code", "sector__code", "title")
    )
    coverage = alignment.alignment(
        [alignment.Entry(i.pk, i.kind, i.parent_id, i.regional_role) for i in items],
        [
            alignment.MeasureFact(m.pk, m.status, frozenset(p.pk for p in m.policy_items.all()))
            for m in measures
        ],
    )
    by_item = {i.pk: i for i in items}
    by_measure = {m.pk: m for m in measures}
    rows = [
        AlignmentRow(by_item[c.entry_id], c.state, [by_measure[pk] for pk in c.measure_ids])
        for c in coverage
    ]
    return Alignment(list(regions), rows, alignment.totals(coverage))
