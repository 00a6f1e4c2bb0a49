"""Reads of the national policy."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from amparo.policy.models import ItemKind, PolicyInstrument, PolicyItem


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
