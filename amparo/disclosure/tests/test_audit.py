from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from ortools.linear_solver import pywraplp

from amparo.disclosure.audit import (
    InconsistentPublication,
    Interval,
    _components,
    audit,
    intervals,
)
from amparo.disclosure.model import Constraint
from amparo.disclosure.tests.tables import published_of, tables

T, A, B, C = ("total",), ("a",), ("b",), ("c",)


def test_it_finds_a_cell_pinned_by_its_total():
    relation = Constraint.sum(T, [A, B], label="total over sex")
    (leak,) = audit({T: 10, A: 7}, [relation], k=5, hidden=[B])
    assert (leak.cell, leak.low, leak.high, leak.pinned) == (B, 3, 3, True)
    assert [c.label for c in leak.constraints] == ["total over sex"]


def test_a_pinned_large_hidden_cell_is_a_leak_too():
    (leak,) = audit({T: 30, A: 7}, [Constraint.sum(T, [A, B])], k=5, hidden=[B])
    assert (leak.low, leak.high) == (23, 23)


def test_an_unpublished_large_cell_pinned_is_no_leak_when_not_hidden():
    # a remainder of 23 is no secret: only small ranges and hidden cells matter
    assert audit({T: 30, A: 7}, [Constraint.sum(T, [A, B])], k=5) == []


def test_two_hidden_cells_of_one_total_are_safe():
    relation = Constraint.sum(T, [A, B, C])
    assert audit({T: 10, A: 3}, [relation], k=5, hidden=[B, C]) == []
    found = intervals({T: 10, A: 3}, [relation])
    assert found[B].low == 0 and found[B].high == 7
    assert found[C] == Interval(0, 7, (relation,))


def test_a_small_total_narrows_its_hidden_parts_only_if_they_cannot_be_zero():
    # b + c = 3: each in 0..3, zero possible, so not "inside 1..4"
    assert audit({T: 3, A: 0}, [Constraint.sum(T, [A, B, C])], k=5, hidden=[B, C]) == []
    # an unpublished total of two published parts 1 and 2 is inside 1..4
    (leak,) = audit({A: 1, B: 2}, [Constraint.sum(T, [A, B])], k=5)
    assert (leak.cell, leak.low, leak.high) == (T, 3, 3)


def test_a_range_inside_one_to_k_minus_one_leaks_without_being_pinned():
    # x + y = 5 with x >= 2 published as a lower bound relation: x in 2..5? no: y in 0..3
    relations = [
        Constraint.sum(T, [A, B]),
        Constraint(((A, 1.0),), 1.0, 3.0, "A between 1 and 3"),
    ]
    leaks = audit({T: 5}, relations, k=5, hidden=[A, B])
    assert [(leak.cell, leak.low, leak.high) for leak in leaks] == [(A, 1, 3), (B, 2, 4)]


def test_unbounded_cells_have_no_high():
    # a - b = 2: both can grow without end
    relation = Constraint(((A, 1.0), (B, -1.0)), 2.0, 2.0)
    found = intervals({}, [relation])
    assert found[A].low == 2 and found[A].high is None
    assert found[B].low == 0 and found[B].high is None
    assert audit({}, [relation], k=5, hidden=[A, B]) == []


def test_one_sided_relations_bound_one_side():
    relation = Constraint(((A, 1.0), (B, 1.0)), None, 6.0)
    found = intervals({}, [relation])
    assert (found[A].low, found[A].high) == (0, 6)


def test_a_lone_unknown_is_bounded_without_a_solver():
    relation = Constraint(((A, 2.0),), 3.0, 5.0)  # 1.5 <= a <= 2.5
    assert intervals({}, [relation])[A].low == 2
    assert intervals({}, [relation])[A].high == 2


def test_rounding_is_tolerant_to_the_solvers_noise():
    relation = Constraint(((A, 3.0), (B, -1.0)), -1e-9, 1e-9)  # 3a = b
    found = intervals({B: 6.0000000001}, [relation])
    assert (found[A].low, found[A].high) == (2, 2)


def test_an_averages_band_narrows_without_pinning_a_fraction():
    # a year's mean 1.7 over three months shown to one decimal: the hidden month lies
    # in 5.1 - 1 - 2 +- 0.15
    relation = Constraint(
        ((("year",), 3.0), (A, -1.0), (B, -1.0), (C, -1.0)), -0.15, 0.15, "months to year"
    )
    (leak,) = audit({("year",): 1.7, A: 1, B: 2}, [relation], k=5, hidden=[C])
    assert (leak.low, leak.high) == (2, 2)


def test_inconsistent_published_numbers_are_refused_by_name():
    relation = Constraint.sum(T, [A, B], label="Loreto 2027: months to year")
    with pytest.raises(InconsistentPublication, match="Loreto 2027: months to year"):
        audit({T: 3, A: 2, B: 2}, [relation], k=5)
    with pytest.raises(InconsistentPublication, match="Loreto 2027"):
        audit({T: 3, A: 5}, [relation], k=5, hidden=[B])
    two = [relation, Constraint.sum(A, [B, C], label="A over age")]
    with pytest.raises(InconsistentPublication) as refused:
        audit({T: 3, B: 5}, two, k=5, hidden=[A, C])
    assert {c.label for c in refused.value.constraints} == {
        "Loreto 2027: months to year",
        "A over age",
    }


def test_a_hidden_cell_must_not_be_published():
    with pytest.raises(ValueError, match="both hidden and published"):
        audit({A: 1}, [], k=5, hidden=[A])


def test_components_are_solved_apart_and_leaks_sorted():
    relations = [
        Constraint.sum(("t1",), [("x1",), ("y1",)]),
        Constraint.sum(("t2",), [("x2",), ("y2",)]),
    ]
    leaks = audit(
        {("t1",): 5, ("y1",): 2, ("t2",): 9, ("x2",): 6}, relations, k=5, hidden=[("x1",), ("y2",)]
    )
    assert [(leak.cell, leak.low) for leak in leaks] == [(("x1",), 3), (("y2",), 3)]
    assert [len(leak.constraints) for leak in leaks] == [1, 1]


def test_a_feasible_point_saves_work_but_not_the_answer():
    relation = Constraint.sum(T, [A, B, C])
    values = {T: 10, A: 3, B: 4, C: 3}
    assert audit({T: 10, A: 3}, [relation], k=5, hidden=[B, C], feasible=values) == []
    (leak,) = audit({T: 10, A: 3, B: 4}, [relation], k=5, hidden=[C], feasible=values)
    assert leak.pinned


def test_a_big_component_lists_only_the_relations_around_the_cell():
    cells = [(f"c{i}",) for i in range(30)]
    relations = [
        Constraint.sum((f"t{i}",), [cells[i], cells[i + 1]], label=f"t{i}") for i in range(29)
    ]
    published = {(f"t{i}",): 10 for i in range(29)}
    found = intervals(published, relations)
    assert [c.label for c in found[cells[5]].constraints] == ["t4", "t5"]


# --- against every whole-number solution, on tiny tables -----------------------------


def integer_ranges(published, relations, unknown, bound):
    """Smallest and largest value of each unknown over every whole-number solution."""
    found = {cell: [] for cell in unknown}
    for values in itertools.product(range(bound + 1), repeat=len(unknown)):
        point = dict(zip(unknown, values, strict=True)) | published
        if all(
            c.low - 1e-9 <= sum(coef * point[cell] for cell, coef in c.terms) <= c.high + 1e-9
            for c in relations
        ):
            for cell, value in zip(unknown, values, strict=True):
                found[cell].append(value)
    return {cell: (min(v), max(v)) for cell, v in found.items() if v}


@st.composite
def two_way_tables(draw):
    """An r x c table with its row, column and grand totals, some cells hidden."""
    rows, columns = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    inner = {(("x", i, j)): draw(st.integers(0, 3)) for i in range(rows) for j in range(columns)}
    values = dict(inner)
    relations = []
    for i in range(rows):
        values[("row", i)] = sum(inner[("x", i, j)] for j in range(columns))
        relations.append(Constraint.sum(("row", i), [("x", i, j) for j in range(columns)]))
    for j in range(columns):
        values[("col", j)] = sum(inner[("x", i, j)] for i in range(rows))
        relations.append(Constraint.sum(("col", j), [("x", i, j) for i in range(rows)]))
    values[("all",)] = sum(inner.values())
    relations.append(Constraint.sum(("all",), [("row", i) for i in range(rows)]))
    relations.append(Constraint.sum(("all",), [("col", j) for j in range(columns)]))
    cells = sorted(values)
    hidden = draw(st.lists(st.sampled_from(cells), max_size=3, unique=True))
    return values, relations, sorted(hidden)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_way_tables())
def test_on_two_way_tables_the_ranges_are_the_whole_number_ranges(table):
    values, relations, hidden = table
    assume(hidden)
    published = {cell: v for cell, v in values.items() if cell not in hidden}
    bound = max(values.values())
    exact = integer_ranges(published, relations, hidden, bound)
    found = intervals(published, relations)
    for cell in hidden:
        if cell not in found:  # in no relation: anything goes
            continue
        low, high = exact[cell]
        assert found[cell].low == low, cell
        assert (found[cell].high if found[cell].high is not None else bound) >= high
        if found[cell].high is not None:
            assert found[cell].high == high, cell
        assert low <= values[cell] <= high


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=3, unique=True),
            st.lists(st.sampled_from([1.0, 2.0, -1.0]), min_size=3, max_size=3),
        ),
        min_size=1,
        max_size=3,
    ),
    st.lists(st.integers(0, 3), min_size=4, max_size=4),
)
def test_any_relations_contain_every_whole_number_solution(shapes, truth):
    cells = [(name,) for name in "abcd"]
    values = dict(zip(cells, truth, strict=True))
    relations = []
    for names, coefs in shapes:
        terms = tuple(((n,), coefs[i]) for i, n in enumerate(names))
        total = sum(coef * values[cell] for cell, coef in terms)
        relations.append(Constraint(terms, total, total))
    exact = integer_ranges({}, relations, cells, 6)
    found = intervals({}, relations)
    for cell, interval in found.items():
        low, high = exact[cell]
        assert interval.low <= low
        assert interval.high is None or interval.high >= high


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_regions=1, max_months=1), st.data())
def test_publishing_all_but_one_small_cell_is_always_caught(table, data):
    # The audit can fail: a small count left alone in a published total is found.
    small = sorted(
        cell
        for cell, value in table.values.items()
        if 1 <= value <= 4
        and cell not in table.derived
        and any(cell in c.cells for c in table.constraints)
    )
    assume(small)
    cell = data.draw(st.sampled_from(small))
    published = published_of(table, {cell})
    # remainders are derived: a reader knows them from their totals; publish them too
    published |= {d: table.values[d] for d in table.derived}
    leaks = audit(published, table.constraints, k=5, hidden=[cell])
    assert [(leak.cell, leak.low, leak.high) for leak in leaks] == [
        (cell, table.values[cell], table.values[cell])
    ]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_regions=2, max_months=2))
def test_the_true_values_always_lie_in_their_ranges(table):
    hidden = {cell for cell, value in table.values.items() if value < 5}
    published = published_of(table, hidden)
    for cell, interval in intervals(published, table.constraints).items():
        value = table.values[cell]
        assert interval.low <= value
        assert interval.high is None or value <= interval.high


def leaks_from_intervals(published, relations, *, k, hidden):
    """The leaks by definition, from every cell's exact range (no shortcut)."""
    return sorted(
        (cell, interval.low, interval.high)
        for cell, interval in intervals(published, relations).items()
        if interval.inside(k) or (cell in hidden and interval.pinned)
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_regions=2, max_months=2), st.data(), st.sampled_from([3, 5, 11]))
def test_the_audits_shortcuts_find_exactly_the_leaks_of_the_exact_ranges(table, data, k):
    # Shortcuts (values seen in earlier solutions, all cells pushed at once) must not
    # change the answer: compare with the ranges computed one cell at a time.
    cells = sorted(table.values.keys() - table.derived)
    hidden = set(data.draw(st.lists(st.sampled_from(cells), max_size=40, unique=True)))
    published = published_of(table, hidden)
    expected = leaks_from_intervals(published, table.constraints, k=k, hidden=hidden)
    for feasible in (None, table.values):
        leaks = audit(published, table.constraints, k=k, hidden=hidden, feasible=feasible)
        assert [(leak.cell, leak.low, leak.high) for leak in leaks] == expected


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_regions=2, max_months=2), st.sampled_from([3, 5, 11]), st.integers(2, 14))
def test_with_many_cells_hidden_the_shortcuts_find_exactly_the_exact_leaks(table, k, below):
    # Hiding every cell under a bound (as protection does) makes the big components where
    # the audit pushes many cells at once (``_Component._spread``): same answer.
    hidden = {c for c, v in table.values.items() if v < below and c not in table.derived}
    published = published_of(table, hidden)
    expected = leaks_from_intervals(published, table.constraints, k=k, hidden=hidden)
    for feasible in (None, table.values):
        leaks = audit(published, table.constraints, k=k, hidden=hidden, feasible=feasible)
        assert [(leak.cell, leak.low, leak.high) for leak in leaks] == expected


def test_a_long_chain_of_hidden_cells_is_solved_as_one_piece():
    # t_i = c_i + c_{i+1}, all t published and every c hidden: one component of 40 unknowns
    # that the joint solves settle; c_0 alone is set free by a loose first relation.
    cells = [(f"c{i:02d}",) for i in range(41)]
    relations = [
        Constraint.sum((f"t{i:02d}",), [cells[i], cells[i + 1]], label=f"t{i:02d}")
        for i in range(40)
    ]
    published = {(f"t{i:02d}",): 12 for i in range(40)}
    found = intervals(published, relations)
    assert len(found) == 41
    assert all((interval.low, interval.high) == (0, 12) for interval in found.values())
    assert audit(published, relations, k=5, hidden=cells) == []
    # pin one end and the whole chain follows
    published[cells[0]] = 7
    leaks = audit(published, relations, k=5, hidden=cells[1:])
    assert [(leak.cell, leak.low) for leak in leaks] == [
        (cells[i], 5 if i % 2 else 7) for i in range(1, 41)
    ]


def test_an_interval_says_inside_and_pinned_plainly():
    assert Interval(1, 4, ()).inside(5)
    assert not Interval(0, 4, ()).inside(5)
    assert not Interval(1, 5, ()).inside(5)
    assert not Interval(1, None, ()).inside(5)
    assert Interval(3, 3, ()).pinned
    assert not Interval(3, None, ()).pinned


# --- the pre-checks: bounds from single relations -------------------------------------


def propagated(published, relations):
    """The outer bounds of every component (``_Component._propagate``)."""
    found = {}
    for component in _components(published, relations):
        component._propagate()
        for cell in component.cells:
            found[cell] = (
                component.outer_lo.get(cell, 0.0),
                component.outer_hi.get(cell, math.inf),
            )
    return found


def lp_range(published, relations, cell):
    """A cell's range by two linear programs of its own, on a fresh solver: the reference
    the audit's shortcuts are checked against."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    unknown = sorted({c for r in relations for c in r.cells if c not in published})
    x = {c: solver.NumVar(0.0, 1e6, "") for c in unknown}
    for r in relations:
        constant = sum(coef * published[c] for c, coef in r.terms if c in published)
        row = solver.Constraint(r.low - constant, r.high - constant)
        for c, coef in r.terms:
            if c in x:
                row.SetCoefficient(x[c], row.GetCoefficient(x[c]) + coef)
    found = []
    for maximise in (False, True):
        solver.Objective().Clear()
        solver.Objective().SetCoefficient(x[cell], 1.0)
        solver.Objective().SetOptimizationDirection(maximise)
        assert solver.Solve() == pywraplp.Solver.OPTIMAL
        found.append(solver.Objective().Value())
    low, high = found
    return max(0, math.ceil(low - 1e-5)), None if high > 5e5 else math.floor(high + 1e-5)


def test_a_lone_hidden_cell_of_a_total_is_bounded_exactly_by_its_relation():
    relations = [Constraint.sum(T, [A, B, C])]
    bounds = propagated({T: 9, A: 2, B: 4}, relations)
    assert bounds[C] == pytest.approx((3, 3))
    bounds = propagated({T: 9, A: 2}, relations)
    assert bounds[B] == pytest.approx((0, 7)) and bounds[C] == pytest.approx((0, 7))


def test_bounds_travel_along_relations_and_one_sided_ones_bound_one_side():
    # a + b = 4 bounds a; a >= 1 (a one-sided relation) bounds it below only
    relations = [Constraint.sum(T, [A, B]), Constraint(((A, 1.0),), 1.0, None)]
    bounds = propagated({T: 4}, relations)
    assert bounds[A] == pytest.approx((1, 4)) and bounds[B] == pytest.approx((0, 3))
    assert propagated({}, [Constraint(((A, 1.0),), 2.0, None), Constraint.sum(T, [A, B])])[B] == (
        0.0,
        math.inf,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_way_tables())
def test_propagated_bounds_contain_every_whole_number_solution(table):
    values, relations, hidden = table
    assume(hidden)
    published = {cell: v for cell, v in values.items() if cell not in hidden}
    exact = integer_ranges(published, relations, hidden, max(values.values()))
    for cell, (lo, hi) in propagated(published, relations).items():
        low, high = exact[cell]
        assert lo <= low + 1e-6 and high <= hi + 1e-6, cell


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(["a", "b", "c", "d"]), min_size=1, max_size=3, unique=True),
            st.lists(st.sampled_from([1.0, 2.0, -1.0]), min_size=3, max_size=3),
        ),
        min_size=1,
        max_size=3,
    ),
    st.lists(st.integers(0, 3), min_size=4, max_size=4),
)
def test_propagated_bounds_of_any_relations_contain_every_solution(shapes, truth):
    cells = [(name,) for name in "abcd"]
    values = dict(zip(cells, truth, strict=True))
    relations = []
    for names, coefs in shapes:
        terms = tuple(((n,), coefs[i]) for i, n in enumerate(names))
        total = sum(coef * values[cell] for cell, coef in terms)
        relations.append(Constraint(terms, total, total))
    exact = integer_ranges({}, relations, cells, 6)
    for cell, (lo, hi) in propagated({}, relations).items():
        low, high = exact[cell]
        assert lo <= low + 1e-6 and high <= hi + 1e-6, cell


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_regions=2, max_months=2), st.data(), st.sampled_from([3, 5, 11]))
def test_the_pre_checks_never_call_safe_what_the_linear_programs_call_a_leak(table, data, k):
    # The audit with every shortcut (true values as witnesses, propagated bounds, joint
    # solves) against each hidden cell's range from its own two linear programs.
    cells = sorted(table.values.keys() - table.derived)
    hidden = set(data.draw(st.lists(st.sampled_from(cells), max_size=40, unique=True)))
    published = published_of(table, hidden)
    linked = {c for r in table.constraints for c in r.cells if c not in published}
    expected = []
    for cell in sorted(linked):
        low, high = lp_range(published, table.constraints, cell)
        interval = Interval(low, high, ())
        if interval.inside(k) or (cell in hidden and interval.pinned):
            expected.append((cell, low, high))
    leaks = audit(published, table.constraints, k=k, hidden=hidden, feasible=table.values)
    assert [(leak.cell, leak.low, leak.high) for leak in leaks] == expected
