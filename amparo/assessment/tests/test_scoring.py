"""Risk lookup, consistency checks and round diffs: pure, over random matrices and ratings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amparo.assessment.scoring import (
    DEFAULT_MATRIX,
    LevelSpec,
    MatrixSpec,
    Rating,
    consistency_issues,
    heat_grid,
    is_colour,
    risk_level,
    round_diff,
    starting_matrix,
    validate_matrix,
)

LEVELS = (
    LevelSpec("a", "A", "A", "#000000", 1),
    LevelSpec("b", "B", "B", "#111111", 2),
    LevelSpec("c", "C", "C", "#222222", 3),
)
SHORT_COLOURS = tuple(
    LevelSpec(level.code, level.name_es, level.name_en, level.colour[:4], level.rank)
    for level in LEVELS
)


@st.composite
def matrices(draw) -> MatrixSpec:
    n_l, n_i = draw(st.integers(2, 7)), draw(st.integers(2, 7))
    grid = tuple(tuple(draw(st.sampled_from("abc")) for _ in range(n_i)) for _ in range(n_l))
    labels = lambda n: tuple((f"es{k}", f"en{k}") for k in range(n))  # noqa: E731
    return MatrixSpec(labels(n_l), labels(n_i), LEVELS, grid)


@given(matrices(), st.data())
def test_the_level_is_the_grid_cell_not_a_product(spec, data) -> None:
    assert validate_matrix(spec) == []
    likelihood = data.draw(st.integers(1, len(spec.likelihoods)))
    impact = data.draw(st.integers(1, len(spec.impacts)))
    assert risk_level(spec, likelihood, impact).code == spec.grid[likelihood - 1][impact - 1]


def test_an_asymmetric_matrix_gives_different_levels_for_swapped_ratings() -> None:
    assert risk_level(DEFAULT_MATRIX, 1, 5).code == "medium"
    assert risk_level(DEFAULT_MATRIX, 5, 1).code == "medium"
    assert risk_level(DEFAULT_MATRIX, 2, 5).code == "high"
    assert risk_level(DEFAULT_MATRIX, 5, 2).code == "high"
    assert risk_level(DEFAULT_MATRIX, 4, 2).code == "medium"
    assert risk_level(DEFAULT_MATRIX, 2, 4).code == "medium"
    assert risk_level(DEFAULT_MATRIX, 5, 5).code == "critical"


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 1), (6, 1), (1, 0), (1, 6)])
def test_ratings_outside_the_matrix_are_refused(likelihood, impact) -> None:
    with pytest.raises(ValueError, match="outside the matrix"):
        risk_level(DEFAULT_MATRIX, likelihood, impact)


def test_validation_names_what_is_wrong_with_a_matrix() -> None:
    broken = MatrixSpec(
        DEFAULT_MATRIX.likelihoods,
        DEFAULT_MATRIX.impacts,
        SHORT_COLOURS,
        (("a", "b"), ("z", "a")),
    )
    problems = [str(p) for p in validate_matrix(broken)]
    assert "The grid needs one row per likelihood and one cell per impact." in problems
    assert "The grid uses unknown levels: z." in problems
    assert "Colours are written as #rrggbb, for example #b71c1c: #000, #111, #222." in problems


@pytest.mark.parametrize(
    ("value", "ok"),
    [("#b71c1c", True), ("#B71C1C", True), ("#000", False), ("red", False), ("#12345g", False)],
)
def test_colours_are_six_hex_digits(value, ok) -> None:
    assert is_colour(value) is ok


def test_it_flags_the_three_kinds_of_inconsistency() -> None:
    ratings = [
        Rating("TUR-01", "TUR", (3, 3), (4, 3)),  # residual above inherent
        Rating("TUR-02", "TUR", (5, 5), (2, 2), measures=0),  # lowered with no measure
        Rating("TUR-03", "TUR", (5, 5), (2, 2), measures=None),  # measures unknown: fine
        Rating("TUR-04", "TUR", (5, 5), (2, 2), measures=2),  # lowered by measures: fine
        Rating("EDU-01", "EDU", (2, 2)),  # not rated after controls yet: fine
    ]
    issues = consistency_issues(DEFAULT_MATRIX, ratings, ["TUR", "EDU", "SAL"])
    assert [(i.kind, i.subject) for i in issues] == [
        ("residual_above_inherent", "TUR-01"),
        ("lowered_without_measure", "TUR-02"),
        ("sector_unassessed", "SAL"),
    ]


def test_a_residual_below_what_the_measures_suggest_is_flagged() -> None:
    ratings = [
        # one measure in effect expected to lower nothing cannot justify 5x5 -> 1x1
        Rating("TUR-01", "TUR", (5, 5), (1, 1), measures=1, suggested=(5, 5)),
        # rated where the measures' expected effects put it: fine
        Rating("TUR-02", "TUR", (5, 5), (3, 4), measures=1, suggested=(3, 4)),
        # lower components but the same level as the suggestion: fine
        Rating("TUR-03", "TUR", (5, 5), (3, 4), measures=2, suggested=(4, 4)),
        # more cautious than the suggestion: fine
        Rating("TUR-04", "TUR", (5, 5), (5, 4), measures=1, suggested=(2, 2)),
    ]
    issues = consistency_issues(DEFAULT_MATRIX, ratings, ["TUR"])
    assert [(i.kind, i.subject, i.suggested) for i in issues] == [
        ("below_suggestion", "TUR-01", (5, 5))
    ]


ratings = st.builds(
    Rating,
    key=st.sampled_from(["T1", "T2", "T3", "T4", "T5"]),
    sector=st.sampled_from(["A", "B"]),
    inherent=st.tuples(st.integers(1, 5), st.integers(1, 5)),
    residual=st.none() | st.tuples(st.integers(1, 5), st.integers(1, 5)),
    measures=st.none() | st.integers(0, 2),
)


@st.composite
def rated_matrices(draw) -> tuple[MatrixSpec, list[Rating]]:
    """A random matrix and ratings inside it, some with the residual equal to the inherent,
    some with a measure count and a suggested residual."""
    spec = draw(matrices())
    n_l, n_i = len(spec.likelihoods), len(spec.impacts)
    cell = st.tuples(st.integers(1, n_l), st.integers(1, n_i))
    rows = []
    for n in range(draw(st.integers(0, 8))):
        inherent = draw(cell)
        residual = draw(st.none() | st.just(inherent) | cell)
        measures = draw(st.none() | st.integers(0, 2))
        suggested = (
            (draw(st.integers(1, inherent[0])), draw(st.integers(1, inherent[1])))
            if measures
            else None
        )
        sector = draw(st.sampled_from(["A", "B", "C"]))
        rows.append(Rating(f"T{n}", sector, inherent, residual, measures, suggested))
    return spec, rows


def _rank(spec: MatrixSpec, cell: tuple[int, int]) -> int:
    return spec.level(spec.grid[cell[0] - 1][cell[1] - 1]).rank


@given(rated_matrices())
def test_the_checks_hold_on_any_matrix(case) -> None:
    spec, rows = case
    issues = consistency_issues(spec, rows, ["A", "B", "C", "D"])
    kinds = {(i.kind, i.subject) for i in issues}
    flagged = {subject for kind, subject in kinds if kind != "sector_unassessed"}
    for r in rows:
        if r.residual is None or r.residual == r.inherent:
            assert r.key not in flagged, r
        elif r.residual[0] > r.inherent[0] or r.residual[1] > r.inherent[1]:
            assert ("residual_above_inherent", r.key) in kinds, r
        elif r.measures == 0 and _rank(spec, r.residual) < _rank(spec, r.inherent):
            assert ("lowered_without_measure", r.key) in kinds, r
        elif r.measures is None and _rank(spec, r.residual) <= _rank(spec, r.inherent):
            assert r.key not in flagged, r  # measures unknown: a lower level is accepted
        if (
            r.residual is not None
            and r.suggested is not None
            and r.measures
            and _rank(spec, r.residual) < _rank(spec, r.suggested)
            and _rank(spec, r.residual) < _rank(spec, r.inherent)
            and r.residual[0] <= r.inherent[0]
            and r.residual[1] <= r.inherent[1]
        ):
            assert ("below_suggestion", r.key) in kinds, r
        assert len([k for k, subject in kinds if subject == r.key]) <= 1
    assessed = {r.sector for r in rows}
    for sector in ["A", "B", "C", "D"]:
        assert (("sector_unassessed", sector) in kinds) == (sector not in assessed)


@given(
    st.lists(ratings, max_size=5, unique_by=lambda r: r.key),
    st.lists(ratings, max_size=5, unique_by=lambda r: r.key),
)
def test_the_diff_accounts_for_every_finding(previous, current) -> None:
    diff = round_diff(previous, current)
    before, after = {r.key for r in previous}, {r.key for r in current}
    assert set(diff.new) == after - before
    assert set(diff.removed) == before - after
    changed = {
        r.key
        for r in current
        for p in previous
        if p.key == r.key and (p.inherent, p.residual) != (r.inherent, r.residual)
    }
    assert {key for key, _old, _new in diff.rerated} == changed
    assert round_diff(current, current).empty


def test_the_heat_grid_reads_from_the_highest_likelihood_down_and_keeps_counts() -> None:
    counts = {(5, 1): 2, (1, 5): 3, (3, 3): 1}
    grid = heat_grid(DEFAULT_MATRIX, counts)
    assert [row[0][0] for row in grid] == [5, 4, 3, 2, 1]
    assert sum(cell[2] for row in grid for cell in row) == 6
    assert grid[0][0][:3] == (5, 1, 2)


@given(st.integers(2, 7), st.integers(2, 7))
def test_a_starting_matrix_is_usable_and_grows_with_both_axes(n_l, n_i) -> None:
    spec = starting_matrix(n_l, n_i)
    assert validate_matrix(spec) == []
    assert (len(spec.likelihoods), len(spec.impacts)) == (n_l, n_i)
    assert risk_level(spec, 1, 1).code == "low"
    assert risk_level(spec, n_l, n_i).code == "critical"
    for likelihood in range(1, n_l + 1):
        for impact in range(1, n_i + 1):
            rank = risk_level(spec, likelihood, impact).rank
            if likelihood < n_l:
                assert risk_level(spec, likelihood + 1, impact).rank >= rank
            if impact < n_i:
                assert risk_level(spec, likelihood, impact + 1).rank >= rank
