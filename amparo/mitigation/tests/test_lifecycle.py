"""Every status move, the maturity rule and the residual suggestion: pure, exhaustive."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.mitigation.lifecycle import (
    ALLOWED_MOVES,
    BASIC,
    EARLY,
    KINDS,
    MATURE,
    MATURITY_LEVELS,
    STATUSES,
    SUBSTANTIAL,
    SectorWork,
    maturity,
    missing_kinds,
    move_problems,
    suggested_residual,
)

EXPECTED_MOVES = {
    ("proposed", "drafting"),
    ("proposed", "dropped"),
    ("drafting", "approved"),
    ("drafting", "proposed"),
    ("drafting", "dropped"),
    ("approved", "implemented"),
    ("approved", "drafting"),
    ("approved", "dropped"),
    ("implemented", "verified"),
    ("implemented", "approved"),
    ("implemented", "dropped"),
    ("dropped", "proposed"),
}


@pytest.mark.parametrize(("current", "target"), list(itertools.product(STATUSES, STATUSES)))
def test_every_pair_of_statuses(current, target) -> None:
    problems = move_problems(
        current=current,
        target=target,
        evidence_count=1,
        by_id=2,
        implemented_by_id=1,
        reason="because",
    )
    assert (problems == []) == ((current, target) in EXPECTED_MOVES)
    assert {(a, b) for a, targets in ALLOWED_MOVES.items() for b in targets} == EXPECTED_MOVES


@pytest.mark.parametrize("target", ["implemented", "verified"])
def test_implemented_and_verified_need_evidence(target) -> None:
    current = "approved" if target == "implemented" else "implemented"
    problems = move_problems(
        current=current, target=target, evidence_count=0, by_id=2, implemented_by_id=1, reason=""
    )
    assert problems == ["needs_evidence"]


def test_verifying_needs_a_second_person() -> None:
    assert move_problems(
        current="implemented",
        target="verified",
        evidence_count=3,
        by_id=7,
        implemented_by_id=7,
        reason="",
    ) == ["same_person"]


def test_dropping_needs_a_reason() -> None:
    assert move_problems(
        current="drafting",
        target="dropped",
        evidence_count=0,
        by_id=1,
        implemented_by_id=None,
        reason="  ",
    ) == ["needs_reason"]


def test_missing_kinds_and_the_suggested_residual() -> None:
    assert missing_kinds(["policy", "program"]) == ["procedure"]
    assert missing_kinds([]) == list(KINDS)
    assert suggested_residual((5, 4), [(1, 0), (2, 1)]) == (2, 3)
    assert suggested_residual((2, 2), [(4, 4)]) == (1, 1)
    assert suggested_residual((3, 3), []) == (3, 3)


def _work(statuses_by_kind: dict[str, list[str]], gaps: int = 0) -> SectorWork:
    counts: dict[tuple[str, str], int] = {}
    for kind, statuses in statuses_by_kind.items():
        for status in statuses:
            counts[(kind, status)] = counts.get((kind, status), 0) + 1
    return SectorWork(counts, gaps)


def test_the_maturity_rule_step_by_step() -> None:
    assert maturity(_work({})) == BASIC
    assert maturity(_work({"policy": ["proposed"], "program": ["drafting"]})) == BASIC
    assert maturity(_work({"policy": ["approved"]})) == EARLY
    in_effect = {"policy": ["implemented"], "procedure": ["verified"], "program": ["implemented"]}
    assert maturity(_work(in_effect)) == SUBSTANTIAL
    verified = {kind: ["verified"] for kind in KINDS}
    assert maturity(_work(verified)) == MATURE
    assert maturity(_work(verified, gaps=1)) == SUBSTANTIAL


@given(
    st.dictionaries(st.sampled_from(KINDS), st.lists(st.sampled_from(STATUSES), max_size=3)),
    st.sampled_from(KINDS),
    st.integers(0, 2),
)
def test_verifying_one_more_measure_never_lowers_maturity(statuses, kind, gaps) -> None:
    before = maturity(_work(statuses, gaps))
    more = {k: list(v) for k, v in statuses.items()}
    more.setdefault(kind, []).append("verified")
    after = maturity(_work(more, gaps))
    assert MATURITY_LEVELS.index(after) >= MATURITY_LEVELS.index(before)
