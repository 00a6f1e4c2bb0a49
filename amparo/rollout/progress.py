"""Where a rollout stands: pure functions over stages and events (no Django import).

Dates follow the model: an event runs from ``start`` to ``end`` inclusive, and a stage may
start ``min_gap_days`` full days after the day its prerequisite ended, i.e. on
``end + 1 + min_gap_days`` at the earliest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

NOT_STARTED, PLANNED, DONE = "not_started", "planned", "done"
CANCELLED = "cancelled"


@dataclass(frozen=True)
class StageSpec:
    code: str
    order: int
    prerequisites: tuple[str, ...] = ()
    min_gap_days: int = 0


@dataclass(frozen=True)
class EventSpec:
    stage: str
    status: str  # planned | done | cancelled
    start: date
    end: date


@dataclass(frozen=True)
class Problem:
    """Why an event for a stage may not happen on a date."""

    prerequisite: str
    reason: str  # "missing" (no event), "not_done", or "too_soon"
    earliest: date | None = None


@dataclass
class StageState:
    code: str
    state: str
    first_day: date | None = None
    last_day: date | None = None
    waiting_for: list[str] = field(default_factory=list)  # prerequisites not done yet
    earliest_start: date | None = None  # from prerequisites' events, when all have one


def earliest_after(end: date, min_gap_days: int) -> date:
    """The first day a stage may start after a prerequisite that ended on ``end``."""
    return end + timedelta(days=1 + min_gap_days)


def _live(events: Iterable[EventSpec], stage: str, *, done_only: bool) -> list[EventSpec]:
    wanted = {DONE} if done_only else {DONE, PLANNED}
    return [e for e in events if e.stage == stage and e.status in wanted]


def prerequisite_problems(
    stage: StageSpec, start: date, events: Sequence[EventSpec], *, require_done: bool
) -> list[Problem]:
    """Problems that forbid an event of ``stage`` starting on ``start``.

    Planning needs each prerequisite to have a planned or done event that ends early
    enough; completing (``require_done``) needs each prerequisite done, early enough.
    An empty list means the event is allowed.
    """
    problems = []
    for prerequisite in stage.prerequisites:
        candidates = _live(events, prerequisite, done_only=require_done)
        if not candidates:
            any_planned = _live(events, prerequisite, done_only=False)
            reason = "not_done" if require_done and any_planned else "missing"
            problems.append(Problem(prerequisite, reason))
            continue
        earliest = min(earliest_after(e.end, stage.min_gap_days) for e in candidates)
        if start < earliest:
            problems.append(Problem(prerequisite, "too_soon", earliest))
    return problems


def broken_dependents(
    stages: Mapping[str, StageSpec],
    others: Sequence[EventSpec],
    *,
    before: EventSpec | None,
    after: EventSpec | None,
) -> list[tuple[int, Problem]]:
    """What changing one event from ``before`` to ``after`` (None: no such event) breaks
    among the rollout's ``others``: for each planned or done event, by its index in
    ``others``, a prerequisite its dates and status satisfied that would no longer be
    satisfied. A problem an event already had (an overridden order, say) is not the
    change's doing and is left out."""
    old = [*others, *([before] if before else [])]
    new = [*others, *([after] if after else [])]
    broken = []
    for index, event in enumerate(others):
        if event.status not in (PLANNED, DONE):
            continue
        stage = stages[event.stage]
        require_done = event.status == DONE
        had = {
            p.prerequisite
            for p in prerequisite_problems(stage, event.start, old, require_done=require_done)
        }
        broken += [
            (index, p)
            for p in prerequisite_problems(stage, event.start, new, require_done=require_done)
            if p.prerequisite not in had
        ]
    return broken


def stage_states(stages: Sequence[StageSpec], events: Sequence[EventSpec]) -> list[StageState]:
    """Each stage in playbook order: not started / planned / done, its dates, what it waits
    for and the earliest day it could start given its prerequisites' events."""
    states = []
    for stage in sorted(stages, key=lambda s: s.order):
        live = _live(events, stage.code, done_only=False)
        if any(e.status == DONE for e in live):
            state = DONE
        elif live:
            state = PLANNED
        else:
            state = NOT_STARTED
        waiting = [p for p in stage.prerequisites if not _live(events, p, done_only=True)]
        ends = []
        for prerequisite in stage.prerequisites:
            candidates = _live(events, prerequisite, done_only=False)
            if not candidates:
                ends = None
                break
            ends.append(earliest_after(min(e.end for e in candidates), stage.min_gap_days))
        states.append(
            StageState(
                code=stage.code,
                state=state,
                first_day=min((e.start for e in live), default=None),
                last_day=max((e.end for e in live), default=None),
                waiting_for=waiting if state != DONE else [],
                earliest_start=max(ends) if ends else None,
            )
        )
    return states


def stage_reached(states: Sequence[StageState]) -> str | None:
    """The code of the last stage, in order, that is done; None before the first."""
    done = [s.code for s in states if s.state == DONE]
    return done[-1] if done else None


@dataclass(frozen=True)
class CapacityWarning:
    what: str  # "pastors" or "churches"
    limit: int
    actual: int


def capacity_warnings(
    *, max_pastors: int | None, max_churches: int | None, pastors: int, churches: int
) -> list[CapacityWarning]:
    """Limits a stage's attendance goes over; going over is allowed, only flagged."""
    warnings = []
    if max_pastors is not None and pastors > max_pastors:
        warnings.append(CapacityWarning("pastors", max_pastors, pastors))
    if max_churches is not None and churches > max_churches:
        warnings.append(CapacityWarning("churches", max_churches, churches))
    return warnings
