"""How a region's measures serve the national policy. Pure: no Django.

An entry of the policy is served by the measures tagged with it and by those tagged with
an entry below it (a measure serving a service serves its guideline and that guideline's
objective). The view lists the entries in which regional governments take part: the
objectives, guidelines and protocol axes (the policy and the protocol guide all three
levels of government), and the services whose recorded role for regional governments is
to receive or to provide them; a service without a known role is left out until someone
records it.

An entry is **covered** when a measure serving it is implemented or verified, **in
progress** when measures serve it but none is there yet, and **not covered** otherwise.
Dropped measures serve nothing."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

DONE = frozenset({"implemented", "verified"})
DROPPED = "dropped"
REGIONAL_ROLES = frozenset({"recipient", "provider"})


class State(enum.Enum):
    COVERED = "covered"
    IN_PROGRESS = "in_progress"
    NOT_COVERED = "not_covered"


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str  # objective, guideline, service, axis
    parent_id: int | None
    regional_role: str  # "" when not known


@dataclass(frozen=True)
class MeasureFact:
    id: int
    status: str
    serves: frozenset[int]  # ids of the entries it is tagged with


@dataclass(frozen=True)
class Coverage:
    entry_id: int
    state: State
    measure_ids: tuple[int, ...]  # the measures serving it, in the order given


def regional(entry: Entry) -> bool:
    """Whether regional governments take part in ``entry`` (see the module's text)."""
    return entry.kind != "service" or entry.regional_role in REGIONAL_ROLES


def lineage(entries: Iterable[Entry]) -> dict[int, tuple[int, ...]]:
    """Each entry's id with those of the entries above it, itself first. A parent that is
    not among ``entries`` ends the chain; a cycle is cut where it closes."""
    by_id = {e.id: e for e in entries}
    chains: dict[int, tuple[int, ...]] = {}
    for entry in by_id.values():
        chain = [entry.id]
        parent = entry.parent_id
        while parent in by_id and parent not in chain:
            chain.append(parent)
            parent = by_id[parent].parent_id
        chains[entry.id] = tuple(chain)
    return chains


def state_of(statuses: Iterable[str]) -> State:
    found = [s for s in statuses if s != DROPPED]
    if any(s in DONE for s in found):
        return State.COVERED
    return State.IN_PROGRESS if found else State.NOT_COVERED


def alignment(entries: Iterable[Entry], measures: Iterable[MeasureFact]) -> list[Coverage]:
    """The coverage of every entry in which regional governments take part, in the order
    of ``entries``."""
    entries = list(entries)
    chains = lineage(entries)
    serving: dict[int, list[MeasureFact]] = {e.id: [] for e in entries}
    for measure in measures:
        if measure.status == DROPPED:
            continue
        reached: set[int] = set()
        for tagged in measure.serves:
            reached.update(chains.get(tagged, ()))
        for entry_id in reached:
            serving[entry_id].append(measure)
    return [
        Coverage(
            entry.id,
            state_of(m.status for m in serving[entry.id]),
            tuple(m.id for m in serving[entry.id]),
        )
        for entry in entries
        if regional(entry)
    ]


def totals(coverage: Iterable[Coverage]) -> dict[State, int]:
    """How many entries are in each state."""
    counted = dict.fromkeys(State, 0)
    for row in coverage:
        counted[row.state] += 1
    return counted
