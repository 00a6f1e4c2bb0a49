"""The audit trail, read side: who changed what and when, from django-simple-history's
records. Nothing in the app edits these records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from django.apps import apps
from django.db import models

KINDS = {"+": "created", "~": "changed", "-": "deleted"}
LIMIT = 20
# Fields that change with every save and say nothing a reader needs (see concurrency.py).
BOOKKEEPING = frozenset({"version"})


@dataclass(frozen=True)
class Change:
    when: datetime
    who: str
    kind: str  # created | changed | deleted
    what: str  # the object, e.g. "Finding TUR-01"
    fields: list[tuple[str, object, object]]  # (field label, before, after)
    model: str = ""


def _label(model: type[models.Model], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _changes(records: list, model: type[models.Model], name: str = "") -> list[Change]:
    """Newest first; each record compared with the one before it, in memory. ``name`` is
    the object's name when all records are of one object; otherwise each record's own,
    which may cost a query per record when the model's name reads a related row."""
    found = []
    for newer, older in pairwise([*records, None]):
        fields = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            fields = [
                (_label(model, c.field), c.old, c.new)
                for c in delta.changes
                if c.field not in BOOKKEEPING
            ]
        found.append(
            Change(
                newer.history_date,
                str(newer.history_user or "—"),
                KINDS.get(newer.history_type, "changed"),
                f"{model._meta.verbose_name} {name or newer.instance}",
                fields,
                model._meta.label_lower,
            )
        )
    return found


def object_history(obj: models.Model) -> list[Change]:
    """The object's last changes, newest first (one query)."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : LIMIT + 1
        ]
    )
    return _changes(records, type(obj), str(obj))[:LIMIT]


def tracked_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if hasattr(m, "history") and hasattr(m.history, "model")]


def recent_changes(*, model: str = "", username: str = "", limit: int = 100) -> list[Change]:
    """The latest changes across every tracked model (a fixed number of queries: one per
    model), optionally of one model or by one user."""
    found: list[Change] = []
    for tracked in tracked_models():
        if model and tracked._meta.label_lower != model:
            continue
        rows = tracked.history.select_related("history_user").order_by("-history_date")
        if username:
            rows = rows.filter(history_user__username=username)
        for record in rows[:limit]:
            found.append(
                Change(
                    record.history_date,
                    str(record.history_user or "—"),
                    KINDS.get(record.history_type, "changed"),
                    f"{tracked._meta.verbose_name} {record.instance}",
                    [],
                    tracked._meta.label_lower,
                )
            )
    return sorted(found, key=lambda c: c.when, reverse=True)[:limit]
