"""Working out and storing the protections: inline for a page when the data is small,
by the background worker otherwise (``protect_audience``), queued after each committed
change to counted data for the audiences in use."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import connection, transaction
from django_tasks import task

from amparo.accounts.models import User
from amparo.disclosure import keys, stored, track
from amparo.disclosure.audience import Audience, audience_for, audience_key, public_audience
from amparo.disclosure.counted import counts_table, data_state, data_version
from amparo.disclosure.model import CellKey, Table
from amparo.disclosure.models import ProtectionState
from amparo.disclosure.protect import protect

PROGRAM = keys.PROGRAM


def protect_cells(table: Table, *, k: int) -> frozenset[CellKey]:
    """The cells to hide from a reader of ``table`` (the engine's ``protect``)."""
    return protect(table, k=k)


def protection_compute(audience: Audience, *, version: str) -> stored.Protection:
    """Work out the audience's protection over the whole table and store it under
    ``version``, read before the table: data changed meanwhile has a newer version, which
    this protection is never used for."""
    started = time.monotonic()
    table = counts_table(audience)
    program = frozenset(c for c in table.values if track.region_of(c) == PROGRAM)
    protection = stored.Protection(protect_cells(table, k=audience.k), program)
    stored.protection_store(
        version=version,
        key=audience_key(audience),
        k=audience.k,
        protection=protection,
        duration=time.monotonic() - started,
    )
    return protection


@task()
def protect_audience(k: int, known_regions: list[str], program_known: bool) -> int:
    """The worker's task (here, not in ``tasks``: this module queues it, and ``tasks``
    reaches this module through the audit and the release): store one audience's
    protection at the current data version; returns how many cells it hides."""
    audience = Audience(k, frozenset(known_regions), program_known)
    return len(protect_audience_now(audience).hidden)


def protection_request(audience: Audience, *, version: str) -> bool:
    """Ask the worker for the audience's protection at ``version`` unless it is already
    stored or asked for (by any process: the claim is a database row). True if queued."""
    if not stored.protection_claim(version=version, key=audience_key(audience), k=audience.k):
        return False
    protect_audience.enqueue(audience.k, sorted(audience.known_regions), audience.program_known)
    return True


def protect_audience_now(audience: Audience) -> stored.Protection:
    """The worker's side: store the audience's protection at the current data version
    (nothing to do when it is stored already)."""
    version = data_version()
    key = audience_key(audience)
    found = stored.protection_load(version=version, key=key)
    if found is not None:
        return found
    stored.protection_mark(version=version, key=key, k=audience.k, state=ProtectionState.RUNNING)
    try:
        return protection_compute(audience, version=version)
    except Exception:
        stored.protection_mark(version=version, key=key, k=audience.k, state=ProtectionState.FAILED)
        raise


def protect_now(user: User) -> None:
    """Store the protections of ``user``'s outputs (their own, and the donor version's
    public one), working out those missing now: for the audit, which reads the outputs
    and must not read them pending."""
    for audience in (audience_for(user), public_audience()):
        protect_audience_now(audience)


def audiences_to_protect() -> list[Audience]:
    """The audiences pages asked for lately (at the current thresholds), but those who know
    every region (their pending release hides nothing they see), and the public audience.
    In the order the worker should take them: the most recently used first (the readers at
    work now), the public one where its own use puts it, or last when no page asked for it.
    One worker at country scale takes about 20 minutes for each."""
    ks = {settings.AMPARO_DISCLOSURE_K, settings.AMPARO_DISCLOSURE_K_PUBLIC}
    found: list[Audience] = []
    for use in stored.audiences_in_use():
        if use.k in ks and not use.program_known:
            found.append(Audience(use.k, frozenset(use.known_regions), use.program_known))
    found.append(public_audience())
    return list(dict.fromkeys(found))  # the first place of each


def protections_queue() -> int:
    """After a change to counted data: ask the worker for the protections of the audiences
    in use, so that pages rarely find theirs missing. Small data is protected inline by
    the first page that asks, so nothing is queued then. Returns how many were queued."""
    version, size = data_state()
    if stored.data_small(size):
        return 0
    return sum(protection_request(a, version=version) for a in audiences_to_protect())


def after_counted_change() -> None:
    """Called on every save or deletion of counted data: once per transaction, after it
    commits, the worker is asked for the protections of the audiences in use (a bulk
    import saves many rows in one transaction and queues once). Outside a transaction
    each save is its own and queues at once."""
    if any(func is _queue_after_commit for _sids, func, *_rest in connection.run_on_commit):
        return
    # Robust: the change is committed whatever happens here, and a page that finds its
    # protection missing asks for it again, so a failure is logged, not raised.
    transaction.on_commit(_queue_after_commit, robust=True)


def counted_changed(**_kwargs: object) -> None:
    """Receiver of the counted models' ``post_save`` and ``post_delete``."""
    after_counted_change()


def _queue_after_commit() -> None:
    protections_queue()
