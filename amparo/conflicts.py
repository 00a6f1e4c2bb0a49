"""Comparing what is stored with what a person submitted on top of an older version (pure).

An edit carries the version it was loaded with. When the stored row has moved on, the
person sees both versions field by field instead of one silently replacing the other.
Values arrive here already reduced to plain data (strings, numbers, dates, lists of ids);
no Django import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# Versions live in a 32-bit positive integer column.
MAX_VERSION = 2**31 - 1

EMPTY = ""


def parse_version(raw: object) -> int | None:
    """The version a form or client sent, or None if it is not a whole number from 1 to
    ``MAX_VERSION`` written in plain decimal digits."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 1 <= raw <= MAX_VERSION else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_VERSION)):
        return None
    value = int(text)
    return value if 1 <= value <= MAX_VERSION else None


def is_stale(*, expected: int, stored: int) -> bool:
    """Whether an edit based on version ``expected`` would replace a newer stored one."""
    return expected != stored


def canonical(value: object) -> str | tuple[str, ...]:
    """One comparable form for a field value: None, blanks and empty lists are all empty;
    text is compared as written without outer whitespace; a list ignores its order."""
    if value is None:
        return EMPTY
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(str(v) for v in value if v not in (None, ""))
        return tuple(items)
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


@dataclass(frozen=True)
class FieldComparison:
    """One field of a form, as stored now (``theirs``) and as submitted (``mine``)."""

    name: str
    label: str
    theirs: str
    mine: str
    differs: bool


def _shown(value: str | tuple[str, ...], labels: Mapping[str, str]) -> str:
    if isinstance(value, tuple):
        return ", ".join(labels.get(v, v) for v in value)
    return labels.get(value, value)


def compare_fields(
    rows: Iterable[tuple[str, str, object, object]],
    labels: Mapping[str, Mapping[str, str]] | None = None,
) -> list[FieldComparison]:
    """Compare ``(name, label, stored, submitted)`` rows in the order given.

    ``labels`` maps a field name to the readable text of its coded values (a choice's
    label, an object's name); values without one are shown as they are. Two values differ
    when their ``canonical`` forms differ.
    """
    labels = labels or {}
    found = []
    for name, label, stored, submitted in rows:
        theirs, mine = canonical(stored), canonical(submitted)
        names = labels.get(name, {})
        found.append(
            FieldComparison(name, label, _shown(theirs, names), _shown(mine, names), theirs != mine)
        )
    return found


def differing(comparisons: Iterable[FieldComparison]) -> list[str]:
    """Names of the fields whose stored and submitted values differ."""
    return [c.name for c in comparisons if c.differs]
