"""The life of a measure and what the work adds up to: pure functions (no Django import).

proposed -> drafting -> approved -> implemented -> verified, or dropped (with a reason)
from any state before verified; a step back is allowed before implementation, and a
dropped measure can be proposed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PROPOSED, DRAFTING, APPROVED = "proposed", "drafting", "approved"
IMPLEMENTED, VERIFIED, DROPPED = "implemented", "verified", "dropped"
STATUSES = (PROPOSED, DRAFTING, APPROVED, IMPLEMENTED, VERIFIED, DROPPED)
KINDS = ("policy", "procedure", "program")

ALLOWED_MOVES: dict[str, frozenset[str]] = {
    PROPOSED: frozenset({DRAFTING, DROPPED}),
    DRAFTING: frozenset({APPROVED, PROPOSED, DROPPED}),
    APPROVED: frozenset({IMPLEMENTED, DRAFTING, DROPPED}),
    IMPLEMENTED: frozenset({VERIFIED, APPROVED, DROPPED}),
    VERIFIED: frozenset(),
    DROPPED: frozenset({PROPOSED}),
}
NEEDS_EVIDENCE = frozenset({IMPLEMENTED, VERIFIED})
IN_EFFECT = frozenset({IMPLEMENTED, VERIFIED})  # measures that lower risk today
OPEN = frozenset({PROPOSED, DRAFTING, APPROVED})  # not implemented yet: can be overdue


def move_problems(
    *,
    current: str,
    target: str,
    evidence_count: int,
    by_id: int,
    implemented_by_id: int | None,
    reason: str,
) -> list[str]:
    """Why ``current -> target`` is refused (codes); empty when it is allowed.

    Codes: not_allowed, needs_evidence, same_person (verified by who implemented it),
    needs_reason (dropping without a reason)."""
    if target not in ALLOWED_MOVES.get(current, frozenset()):
        return ["not_allowed"]
    problems = []
    if target in NEEDS_EVIDENCE and evidence_count < 1:
        problems.append("needs_evidence")
    if target == VERIFIED and implemented_by_id is not None and implemented_by_id == by_id:
        problems.append("same_person")
    if target == DROPPED and not reason.strip():
        problems.append("needs_reason")
    return problems


def missing_kinds(kinds_present: Iterable[str]) -> list[str]:
    """Which of policy / procedure / program a finding still lacks."""
    present = set(kinds_present)
    return [kind for kind in KINDS if kind not in present]


def suggested_residual(
    inherent: tuple[int, int], effects: Iterable[tuple[int, int]]
) -> tuple[int, int]:
    """Inherent (likelihood, impact) lowered by the expected effects of measures in effect,
    never below 1."""
    likelihood, impact = inherent
    for lower_likelihood, lower_impact in effects:
        likelihood -= lower_likelihood
        impact -= lower_impact
    return max(1, likelihood), max(1, impact)


BASIC, EARLY, SUBSTANTIAL, MATURE = "basic", "early", "substantial", "mature"
MATURITY_LEVELS = (BASIC, EARLY, SUBSTANTIAL, MATURE)


@dataclass(frozen=True)
class SectorWork:
    """Counts of a sector's measures by (kind, status), and its untreated serious findings."""

    counts: Mapping[tuple[str, str], int]
    serious_gaps: int = 0  # high or critical findings lacking a kind of measure

    def any_in(self, kind: str, statuses: Iterable[str]) -> bool:
        return any(self.counts.get((kind, status), 0) > 0 for status in statuses)


def maturity(work: SectorWork) -> str:
    """The sector's maturity, by this rule:

    - mature practice: a *verified* policy, procedure and program, and no high or critical
      finding lacking a kind of measure;
    - substantial progress: a policy, a procedure and a program *in effect* (implemented
      or verified);
    - early progress: at least one measure approved, implemented or verified;
    - basic first steps: otherwise (nothing beyond proposals and drafts).
    """
    if all(work.any_in(kind, {VERIFIED}) for kind in KINDS) and work.serious_gaps == 0:
        return MATURE
    if all(work.any_in(kind, IN_EFFECT) for kind in KINDS):
        return SUBSTANTIAL
    if any(work.any_in(kind, {APPROVED, IMPLEMENTED, VERIFIED}) for kind in KINDS):
        return EARLY
    return BASIC
