"""The rules of a catalog load, once for every kind of row the catalog loads by code
(threats, controls, indicators, questionnaires). Pure: no Django.

A row carries three facts (``amparo.catalog.models.CatalogSynced``): whether it came from
the catalog, whether users edited it since, and the fingerprint of the catalog entry it was
last compared with. From those and the entry's fingerprint, ``sync_decision`` says what a
load does with the entry:

- no row has its code: create the row from the entry;
- users created a row with that code: leave it as it is; list it when the entry is new to
  it or has changed since it was last listed (a catalog code never overwrites a user's row);
- users edited the catalog's row: keep their version; list it when the catalog changed the
  entry since the last load;
- otherwise bring the row to the entry when they differ (a row changed behind the
  services' back, such as directly in the database, is repaired).

Every row then keeps the entry's fingerprint, so the next load lists a user's row again
only when the catalog changes the entry again: once per catalog change, not on every load.
A catalog row users edited before fingerprints were kept is compared by content, once.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field


class Action(enum.Enum):
    CREATE = "create"
    UPDATE = "update"  # the row becomes as the entry says
    KEEP_EDIT = "keep_edit"  # users' edit kept although the catalog changed: listed
    CLASH = "clash"  # users' own row with the entry's code, left alone: listed
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RowState:
    """What a load needs to know about the row that has an entry's code."""

    from_catalog: bool
    edited: bool
    fingerprint: str  # of the entry last compared with; "" when none was kept


@dataclass(frozen=True)
class Decision:
    action: Action
    # Whether the row must keep the entry's fingerprint from now on (it has another one).
    record_fingerprint: bool

    @property
    def listed(self) -> bool:
        """Whether the load tells people about this row (a user's row the catalog changed)."""
        return self.action in (Action.KEEP_EDIT, Action.CLASH)


def sync_decision(row: RowState | None, fingerprint: str, differs: Callable[[], bool]) -> Decision:
    """What a load does with one catalog entry whose fingerprint is ``fingerprint``, given the
    row that has its code (None: no row). ``differs()`` says whether the row's content
    differs from the entry; it is called only when the rules need it (comparing can cost
    queries)."""
    if row is None:
        return Decision(Action.CREATE, record_fingerprint=True)
    new_to_row = row.fingerprint != fingerprint
    if not row.from_catalog:
        return Decision(Action.CLASH if new_to_row else Action.UNCHANGED, new_to_row)
    if row.edited:
        catalog_changed = new_to_row if row.fingerprint else differs()
        return Decision(Action.KEEP_EDIT if catalog_changed else Action.UNCHANGED, new_to_row)
    return Decision(Action.UPDATE if differs() else Action.UNCHANGED, new_to_row)


@dataclass
class LoadCount:
    """How a catalog load changed the database, per kind of row (``"threats"``), and the
    users' rows it left alone although the catalog changed them."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)  # codes of users' edits kept
    clashes: dict[str, list[str]] = field(default_factory=dict)  # kind -> users' own codes

    def add(self, kind: str, *, created: bool, changed: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.updated[kind] = self.updated.get(kind, 0) + 1

    def note(self, kind: str, code: str, decision: Decision) -> None:
        """Count or list what ``decision`` did with the entry ``code`` of ``kind``."""
        if decision.action is Action.KEEP_EDIT:
            self.kept.append(code)
        elif decision.action is Action.CLASH:
            self.clashes.setdefault(kind, []).append(code)
        else:
            self.add(
                kind,
                created=decision.action is Action.CREATE,
                changed=decision.action is Action.UPDATE,
            )
