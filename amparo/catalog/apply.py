"""Applies the catalog's rules (``amparo/catalog/sync.py``) to the rows of one model. Each
app says only how its rows are made from an entry, compared with it and brought to it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from amparo.catalog import entry_fingerprint
from amparo.catalog.models import CatalogSynced
from amparo.catalog.sync import Action, LoadCount, RowState, sync_decision

Row = TypeVar("Row", bound=CatalogSynced)
Entry = dict[str, Any]


@dataclass(frozen=True)
class CatalogKind(Generic[Row]):
    """How one kind of row follows its catalog entries."""

    name: str  # counted and reported under this name, such as "threats"
    # A new row from the entry, saved with the given fields (from_catalog, catalog_hash).
    create: Callable[..., Row]
    differs: Callable[[Row, Entry], bool]  # whether the row's content differs from the entry
    update: Callable[[Row, Entry], None]  # make the row as the entry says, and save it


def catalog_entries_apply(
    *, kind: CatalogKind[Row], entries: Iterable[Entry], rows: dict[str, Row], count: LoadCount
) -> None:
    """Load ``entries`` into ``rows`` (the existing rows by code; rows created here are
    added to it, so entries later in the list can refer to them) and note in ``count``
    what was created, updated, kept or left alone. Runs inside the caller's transaction."""
    for entry in entries:
        code = entry["code"]
        fingerprint = entry_fingerprint(entry)
        row = rows.get(code)
        state = None if row is None else RowState(row.from_catalog, row.edited, row.catalog_hash)
        decision = sync_decision(state, fingerprint, partial(kind.differs, row, entry))
        if decision.action is Action.CREATE:
            row = rows[code] = kind.create(entry, from_catalog=True, catalog_hash=fingerprint)
        else:
            if decision.action is Action.UPDATE:
                kind.update(row, entry)
            if decision.record_fingerprint:
                # Bookkeeping, not a change people made or read: no history entry for it.
                type(row).objects.filter(pk=row.pk).update(catalog_hash=fingerprint)
                row.catalog_hash = fingerprint
        count.note(kind.name, code, decision)
