"""The two solvers of suppression and the audit, and the tables the audit hands back."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.linear_solver import pywraplp

from amparo.disclosure import audit as audit_module
from amparo.disclosure import lp
from amparo.disclosure.audit import audit, intervals
from amparo.disclosure.model import Constraint, Table
from amparo.disclosure.protect import _Protector
from amparo.disclosure.tests.tables import published_of, tables

T, A, B, C = ("total",), ("a",), ("b",), ("c",)


@pytest.mark.parametrize("name", ["HIGHS", "GLOP"])
def test_a_solver_prints_nothing(name, capfd):
    # HiGHS writes a banner to standard output at every solve unless told not to; the
    # audit command's JSON goes there.
    solver = lp.solver(name)
    x = solver.NumVar(0.0, 5.0, "")
    solver.Maximize(x)
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    assert x.solution_value() == pytest.approx(5.0)
    assert capfd.readouterr().out == ""


def test_big_components_go_to_highs_and_each_solver_asks_the_other():
    assert lp.for_size(lp.BIG) == "HIGHS"
    assert lp.for_size(lp.BIG - 1) == "GLOP"
    assert lp.other("HIGHS") == "GLOP" and lp.other("GLOP") == "HIGHS"


def test_glop_with_the_dual_simplex_solves_after_a_bound_changes():
    solver = lp.solver("GLOP", dual=True)
    x, y = solver.NumVar(0.0, 10.0, ""), solver.NumVar(0.0, 10.0, "")
    solver.Add(x + y == 10)
    solver.Minimize(x)
    assert solver.Solve() == pywraplp.Solver.OPTIMAL and x.solution_value() == pytest.approx(0)
    y.SetBounds(0.0, 4.0)  # as the repairs do: only a bound changes
    assert solver.Solve() == pywraplp.Solver.OPTIMAL and x.solution_value() == pytest.approx(6)


def exact_leaks(published, relations, *, k, hidden):
    return sorted(
        (cell, interval.low, interval.high)
        for cell, interval in intervals(published, relations).items()
        if interval.inside(k) or (cell in hidden and interval.pinned)
    )


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_regions=2, max_months=2), st.sampled_from([3, 5, 11]), st.integers(2, 14))
def test_highs_finds_the_leaks_glop_finds(table, k, below):
    # Small tables go to GLOP; with every component sent to HiGHS (the path of a
    # country's three-way tables) the audit must find the same leaks, with and without
    # the true values to start from.
    hidden = {c for c, v in table.values.items() if v < below and c not in table.derived}
    published = published_of(table, hidden)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lp, "BIG", 10**9)
        expected = exact_leaks(published, table.constraints, k=k, hidden=hidden)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lp, "BIG", 0)
        for feasible in (None, table.values):
            leaks = audit(published, table.constraints, k=k, hidden=hidden, feasible=feasible)
            assert [(leak.cell, leak.low, leak.high) for leak in leaks] == expected


def holds(relation: Constraint, values) -> bool:
    total = sum(coef * values[cell] for cell, coef in relation.terms)
    slack = 1e-6 * (1 + sum(abs(coef * values[cell]) for cell, coef in relation.terms))
    low = -float("inf") if relation.low is None else relation.low
    high = float("inf") if relation.high is None else relation.high
    return low - slack <= total <= high + slack


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(max_regions=2, max_months=2), st.integers(2, 14), st.booleans())
def test_every_table_the_audit_hands_back_is_one_the_reader_must_allow(table, below, big):
    # ``seen`` lets protection reuse the audit's solutions in its next audit: each must
    # fit every relation of its component, keep every shown cell's value and no count
    # below 0, and reusing them must not change what the audit finds.
    hidden = {c for c, v in table.values.items() if v < below and c not in table.derived}
    published = published_of(table, hidden)
    seen: list = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(lp, "BIG", 0 if big else 10**9)
        first = audit(published, table.constraints, k=5, hidden=hidden, seen=seen)
        for found in seen:
            assert all(value >= -1e-6 for value in found.values())
            for cell, value in found.items():
                if cell in published:
                    assert value == pytest.approx(published[cell])
            for relation in table.constraints:
                if all(cell in found for cell in relation.cells):
                    assert holds(relation, found)
        again = audit(published, table.constraints, k=5, hidden=hidden, also=seen)
    assert again == first


def test_the_audit_hands_back_a_table_per_solve_with_the_shown_cells_around():
    # t = a + b + c, t shown, a, b, c hidden: pushing them settles them; each table the
    # solver found comes back with the shown total in it.
    relation = Constraint.sum(T, [A, B, C])
    seen: list = []
    audit({T: 9}, [relation], k=5, hidden=[A, B, C], seen=seen)
    assert seen, "the component needed solves"
    for found in seen:
        assert found[T] == 9
        assert found[A] + found[B] + found[C] == pytest.approx(9)


def test_no_tables_are_kept_unless_asked(monkeypatch):
    kept = []
    original = audit_module._Component.intervals

    def spy(self, settled):
        result = original(self, settled)
        kept.append(self.solutions)
        return result

    monkeypatch.setattr(audit_module._Component, "intervals", spy)
    relation = Constraint.sum(T, [A, B, C])
    audit({T: 9}, [relation], k=5, hidden=[A, B, C])
    assert kept == [None]


def test_showing_a_cell_drops_the_tables_that_change_it_and_keeps_the_others():
    relation = Constraint.sum(T, [A, B])
    protector = _Protector(Table({T: 12, A: 7, B: 5}, (relation,)), 5)
    same = {T: 12.0, A: 7.0, B: 5.0}
    moved = {T: 12.0, A: 8.0, B: 4.0}
    elsewhere = {("other",): 3.0}  # from another component: A keeps its true value there
    protector.witnesses = [same, moved, elsewhere]
    protector.hide(A)
    protector.reveal(A)
    assert protector.witnesses == [same, elsewhere]
