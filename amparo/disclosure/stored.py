"""Protections kept in the database: worked out once per audience and data version (inline
when the data is small, by the worker otherwise) and read by every process.

A protection is only ever read for the data version it was computed at: the row's key is
the version, so a page never applies an older version's hidden cells to newer data.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from amparo.disclosure.model import CellKey
from amparo.disclosure.models import AudienceUse, ProtectionState, StoredProtection

KEPT_VERSIONS = 3  # protections kept per audience: the latest data versions
KEPT_AUDIENCES = 200  # audiences remembered as in use; the least recently used go
USED_WITHIN = timedelta(days=30)  # audiences protected again after a data change


@dataclass(frozen=True)
class Protection:
    """What a release needs of a stored protection."""

    hidden: frozenset[CellKey]
    program_cells: frozenset[CellKey]


def audience_key(k: int, known_regions: Iterable[str], program_known: bool) -> str:
    """A short, stable name for an audience (its k and the regions it knows in full)."""
    known = ",".join(sorted(known_regions)) + ("|*" if program_known else "")
    return hashlib.sha256(f"{k}:{known}".encode()).hexdigest()[:16]


def encode_cells(cells: Iterable[CellKey]) -> bytes:
    """Cells as compressed JSON: a country's hidden cells are tens of thousands of tuples."""
    return zlib.compress(json.dumps(sorted(cells), separators=(",", ":")).encode(), 6)


def decode_cells(blob: bytes | memoryview | None) -> frozenset[CellKey]:
    if not blob:
        return frozenset()
    return frozenset(tuple(cell) for cell in json.loads(zlib.decompress(bytes(blob))))


def protection_load(*, version: str, key: str) -> Protection | None:
    """The finished protection of audience ``key`` at data ``version``, if stored."""
    row = (
        StoredProtection.objects.filter(version=version, audience=key, state=ProtectionState.DONE)
        .values_list("hidden", "program_cells")
        .first()
    )
    if row is None:
        return None
    return Protection(decode_cells(row[0]), decode_cells(row[1]))


def protection_done(*, version: str, key: str) -> bool:
    return StoredProtection.objects.filter(
        version=version, audience=key, state=ProtectionState.DONE
    ).exists()


def protection_store(
    *,
    version: str,
    key: str,
    k: int,
    protection: Protection,
    duration: float,
) -> None:
    """Keep a finished protection, and only the latest few versions of the audience."""
    _upsert(
        StoredProtection,
        {"version": version, "audience": key},
        k=k,
        state=ProtectionState.DONE,
        hidden=encode_cells(protection.hidden),
        program_cells=encode_cells(protection.program_cells),
        hidden_count=len(protection.hidden),
        computed_at=timezone.now(),
        duration_seconds=round(duration, 3),
    )
    rows = StoredProtection.objects.filter(audience=key)
    latest = rows.order_by("-updated_at", "-pk").values("pk")[:KEPT_VERSIONS]
    rows.exclude(pk__in=latest).delete()


def protection_claim(*, version: str, key: str, k: int) -> bool:
    """Mark audience ``key``'s protection at ``version`` as queued; True when the caller
    should queue it, False when it is already stored, queued or running. A claim left
    unfinished longer than a task may run (a worker that stopped) can be taken again."""
    _row, created = StoredProtection.objects.get_or_create(
        version=version, audience=key, defaults={"k": k}
    )
    if created:
        return True
    lost = timezone.now() - timedelta(minutes=settings.AMPARO_TASK_TIMEOUT_MINUTES)
    retaken = (
        StoredProtection.objects.filter(version=version, audience=key, updated_at__lt=lost)
        .filter(~Q(state=ProtectionState.DONE))
        .update(state=ProtectionState.QUEUED, updated_at=timezone.now())
    )
    return retaken == 1


def protection_mark(*, version: str, key: str, k: int, state: str) -> None:
    """Mark audience ``key``'s protection at ``version`` as running or failed, unless it is
    done: another worker may have stored it meanwhile, and a page must keep reading it."""
    row, created = StoredProtection.objects.get_or_create(
        version=version, audience=key, defaults={"k": k, "state": state}
    )
    if not created:
        StoredProtection.objects.filter(pk=row.pk).exclude(state=ProtectionState.DONE).update(
            state=state, updated_at=timezone.now()
        )


def _upsert(model: type, unique: dict[str, object], **values: object) -> None:
    """Insert the row with ``unique``, or update ``values`` of the one there: one query
    either way, so a page costs the same whether its audience is new or not."""
    fields = list(values)
    if "updated_at" in {f.name for f in model._meta.concrete_fields}:
        fields.append("updated_at")  # set by the insert's auto_now
    model.objects.bulk_create(
        [model(**unique, **values)],
        update_conflicts=True,
        unique_fields=list(unique),
        update_fields=fields,
    )


def audience_used(*, key: str, k: int, known_regions: Iterable[str], program_known: bool) -> None:
    """Remember that a page asked for this audience (the worker protects it again after a
    data change)."""
    _upsert(
        AudienceUse,
        {"audience": key},
        k=k,
        known_regions=sorted(known_regions),
        program_known=program_known,
        last_used=timezone.now(),
    )


def audiences_in_use() -> list[AudienceUse]:
    """The audiences pages asked for lately, the most recently used first; only the
    ``KEPT_AUDIENCES`` most recently used are kept (trimmed here, after a data change, not
    on the pages)."""
    latest = AudienceUse.objects.order_by("-last_used", "-pk").values("pk")[:KEPT_AUDIENCES]
    AudienceUse.objects.exclude(pk__in=latest).delete()
    return list(
        AudienceUse.objects.filter(last_used__gte=timezone.now() - USED_WITHIN).order_by(
            "-last_used", "-pk"
        )
    )


def data_small(rows: int) -> bool:
    """Whether a protection over ``rows`` observations and attendance rows (counted with
    the data version, ``counted.data_state``) is quick enough to work out inside a web
    request."""
    return rows < settings.AMPARO_DISCLOSURE_INLINE_ROWS
