"""What a reader can work out about the cells they do not see (pure).

Given the numbers a reader sees (``published``) and the linear relations between all the
cells (``Constraint``), every unpublished cell is a non-negative unknown. Its smallest and
largest possible values are found by linear programming (``lp``: HiGHS for big
components, GLOP for small ones): minimise it, then maximise it, under the relations with
the published numbers put in.

A *leak* (``Leak``) is an unpublished cell whose range lies inside ``1 .. k-1`` (the reader
knows it is a small count), or a hidden cell whose range is a single value (the reader knows
it exactly).

The unknowns are split into connected components (unknowns linked by a relation), each
solved on its own: a country's tables make a few million cells, but once the published
numbers are put in, hidden cells only link to hidden cells near them.

Before any linear program, bounds are propagated through single relations (each cell's
range given the ranges of the others in one relation, repeated while they shrink): they
contain the true range, and the values seen in solutions (the true values, earlier
solves) lie inside it, so where the two meet the range is known without solving. A lone
hidden cell of a total is settled this way. The program is built once per component and
only its objective changes between solves (GLOP starts each from the last basis).

Ranges are those of real numbers (the LP relaxation), rounded inwards to whole people with a
small tolerance. The true range over whole numbers can be narrower (seldom, for tables of
sums): the audit can miss such a narrowing, never report a leak that is not there.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from amparo.disclosure import lp
from amparo.disclosure.model import CellKey, Constraint, Leak, Linked

_TOLERANCE = 1e-5  # the solvers' answers are this close on tables of thousands of cells
# Every unknown gets an upper bound far above anything its relations could make it (GLOP
# tells "unbounded" from "infeasible" unreliably, a bound avoids the question); a cell that
# can reach half of it is taken as unbounded. Not too far: at 1e9 GLOP loses precision.
_BIG_FACTOR = 1000.0
_BIG_LEAST = 1e4
_SHOWN_CONSTRAINTS = 12
# Components this big first solve for all their cells at once (``_Component._spread``).
_SPREAD_LEAST = 20
_SPREAD_ROUNDS = 200
# Passes of bound propagation over a component's relations (``_Component._propagate``).
_PROPAGATE_PASSES = 3

# A relation with the published values put in: (relation, coefficients of its unknowns,
# low, high).
_Row = tuple[Constraint, dict[CellKey, float], float, float]


class InconsistentPublication(ValueError):
    """The published numbers contradict the relations: no values fit them all."""

    def __init__(self, constraints: Iterable[Constraint]) -> None:
        self.constraints = tuple(constraints)
        labels = sorted({c.label or repr(c.cells) for c in self.constraints})
        super().__init__(
            "the published numbers do not fit these relations: " + "; ".join(labels[:20])
        )


@dataclass(frozen=True)
class Interval:
    """Whole values an unpublished cell can take: ``low .. high`` (``high`` None: no
    bound). ``constraints`` are the relations of its component (see ``Leak``)."""

    low: int
    high: int | None
    constraints: tuple[Constraint, ...]

    def inside(self, k: int) -> bool:
        """Whether the reader learns that the cell is a count from 1 to ``k - 1``."""
        return self.low >= 1 and self.high is not None and self.high <= k - 1

    @property
    def pinned(self) -> bool:
        return self.high is not None and self.low >= self.high


def intervals(
    published: Mapping[CellKey, float], constraints: Iterable[Constraint]
) -> dict[CellKey, Interval]:
    """Every unpublished cell of ``constraints`` with its whole-number range (see the
    module). ``InconsistentPublication`` when the published numbers fit no values."""
    found: dict[CellKey, Interval] = {}
    for component in _components(published, constraints):
        found.update(component.intervals(lambda _cell, _lo, _hi: False))
    return found


def audit(
    published: Mapping[CellKey, float],
    constraints: Iterable[Constraint],
    *,
    k: int,
    hidden: Iterable[CellKey] = (),
    feasible: Mapping[CellKey, float] | None = None,
    also: Iterable[Mapping[CellKey, float]] = (),
    seen: list[dict[CellKey, float]] | None = None,
) -> list[Leak]:
    """The leaks (see the module) of publishing ``published`` to a reader who knows
    ``constraints``; ``hidden`` are the cells withheld from them (a hidden cell must not be
    published). ``feasible`` may give values known to fit every relation (the true values)
    to save work, ``also`` more such values (another table the reader cannot tell from
    the true one). ``seen``, if given, gets every table the solver found (the unknowns
    of a component and the published cells of its relations): each is one more such
    table, for a later audit of the same data with fewer cells shown. Sorted by cell;
    ``InconsistentPublication`` when nothing fits."""
    hidden = frozenset(hidden)
    shown_hidden = sorted(cell for cell in hidden if cell in published)
    if shown_hidden:
        raise ValueError(f"cells both hidden and published: {shown_hidden[:5]}")
    also = list(also)
    leaks: list[Leak] = []
    for component in _components(published, constraints):
        component.witness(feasible)
        for values in also:
            component.witness(values)
        if seen is not None:
            component.solutions = []

        def settled(cell: CellKey, lo: float, hi: float) -> bool:
            # The range only widens as more is solved: decided once it reaches 0 or k,
            # and (for a hidden cell) holds two whole values.
            low, high = _whole(lo, hi)
            outside = low <= 0 or high is None or high >= k
            spread = high is None or high > low
            return outside and (spread or cell not in hidden)

        for cell, interval in component.intervals(settled).items():
            if interval.inside(k) or (cell in hidden and interval.pinned):
                leaks.append(Leak(cell, interval.low, interval.high, interval.constraints))
        if seen is not None:
            shown = {
                cell: float(published[cell])
                for constraint in component.constraints
                for cell in constraint.cells
                if cell in published
            }
            seen.extend({**shown, **solution} for solution in component.solutions)
    return sorted(leaks, key=lambda leak: leak.cell)


def _whole(lo: float, hi: float, big: float = math.inf) -> tuple[int, int | None]:
    low = max(0, math.ceil(lo - _TOLERANCE))
    high = None if hi >= big / 2 else math.floor(hi + _TOLERANCE)
    return low, high


class _Component:
    """Unknowns linked by relations, with the relations restricted to them."""

    def __init__(self, cells: list[CellKey], rows: list[_Row]) -> None:
        self.cells = cells
        self.rows = rows
        scale = max(
            (abs(b) for _c, _t, low, high in rows for b in (low, high) if math.isfinite(b)),
            default=0.0,
        )
        self.big = max(_BIG_LEAST, _BIG_FACTOR * (1.0 + scale))
        self.lows = dict.fromkeys(cells, math.inf)  # smallest value seen in a solution
        self.highs = dict.fromkeys(cells, -math.inf)
        self.solver: pywraplp.Solver | None = None
        self.solver_name = ""
        self.solutions: list[dict[CellKey, float]] | None = None  # kept when asked (``audit``)
        self.variables: dict[CellKey, pywraplp.Variable] = {}
        self.rows_of: dict[CellKey, list[Constraint]] | None = None
        self.position = {cell: i for i, cell in enumerate(cells)}
        # Bounds that contain each cell's range (``_propagate``); none until computed.
        self.outer_lo: dict[CellKey, float] = {}
        self.outer_hi: dict[CellKey, float] = {}

    def exact(self, cell: CellKey) -> tuple[bool, bool]:
        """Whether the lowest and the highest value seen are the cell's true ones: they
        meet the propagated bounds, which contain the range."""
        lo_bound = self.outer_lo.get(cell, 0.0)
        hi_bound = self.outer_hi.get(cell, math.inf)
        return (
            self.lows[cell] <= lo_bound + _TOLERANCE,
            self.highs[cell] >= hi_bound - _TOLERANCE,
        )

    def _propagate(self) -> None:
        """Outer bounds of every cell from single relations: in ``low <= sum(a * x) <=
        high``, ``a_i * x_i`` lies within ``low`` and ``high`` minus what the other terms
        can add up to; repeated over the relations whose cells' bounds moved."""
        lo = dict.fromkeys(self.cells, 0.0)
        hi = dict.fromkeys(self.cells, math.inf)
        rows_of: dict[CellKey, list[int]] = defaultdict(list)
        for index, (_c, coefficients, _low, _high) in enumerate(self.rows):
            for cell in coefficients:
                rows_of[cell].append(index)
        pending = set(range(len(self.rows)))
        for _pass in range(_PROPAGATE_PASSES):
            if not pending:
                break
            moved: set[CellKey] = set()
            for index in sorted(pending):
                _c, coefficients, low, high = self.rows[index]
                moved.update(_tighten(coefficients, low, high, lo, hi))
            pending = {i for cell in moved for i in rows_of[cell]}
        if any(lo[c] > hi[c] + _TOLERANCE * max(1.0, abs(hi[c])) for c in self.cells):
            return  # contradictory: the solver will say so, by name
        self.outer_lo, self.outer_hi = lo, hi

    @property
    def constraints(self) -> tuple[Constraint, ...]:
        return tuple(row[0] for row in self.rows)

    def witness(self, values: Mapping[CellKey, float] | None) -> None:
        if values is not None and all(cell in values for cell in self.cells):
            self._see({cell: float(values[cell]) for cell in self.cells})

    def _see(self, solution: Mapping[CellKey, float]) -> None:
        for cell, value in solution.items():
            if value < self.lows[cell]:
                self.lows[cell] = value
            if value > self.highs[cell]:
                self.highs[cell] = value

    def shown_constraints(self, cell: CellKey) -> tuple[Constraint, ...]:
        if len(self.rows) <= _SHOWN_CONSTRAINTS:
            return self.constraints
        if self.rows_of is None:
            self.rows_of = defaultdict(list)
            for constraint, coefficients, _low, _high in self.rows:
                for unknown in coefficients:
                    self.rows_of[unknown].append(constraint)
        return tuple(self.rows_of[cell])

    def intervals(self, settled) -> dict[CellKey, Interval]:
        """Each cell's range; a cell for which ``settled(cell, lowest seen, highest seen)``
        holds keeps the range seen so far (narrower than or equal to the true one)."""
        if len(self.cells) == 1:
            return self._single()
        self._propagate()
        self._spread(settled)
        found = {}
        for cell in self.cells:
            lo, hi = self.lows[cell], self.highs[cell]
            low_known, high_known = self.exact(cell)
            if not (lo <= hi and (settled(cell, lo, hi) or (low_known and high_known))):
                # Seen at its lowest bound (0 at least), the minimum is known.
                if not low_known:
                    lo = self._optimise({cell: 1.0}, maximise=False)
                hi = self.highs[cell]
                if not self.exact(cell)[1] and not settled(cell, lo, max(hi, lo)):
                    hi = self._optimise({cell: 1.0}, maximise=True)
            low, high = _whole(lo, hi, self.big)
            found[cell] = Interval(low, high, self.shown_constraints(cell))
        return found

    def _spread(self, settled) -> None:
        """Push the unsettled cells down together, then up, then in mixed directions, while
        that settles some: one solve then does the work of hundreds on a big component."""

        def open_(cell: CellKey) -> bool:
            lo, hi = self.lows[cell], self.highs[cell]
            return not (lo <= hi and (settled(cell, lo, hi) or all(self.exact(cell))))

        unsettled = [c for c in self.cells if open_(c)]
        # Cells that a move of one whole person does not settle (small counts, which
        # must reach 0 or k) are pushed down together first, by themselves: with the
        # others in the sum, the totals make the objective flat (one cell down, another
        # up) and the solver moves next to nothing. Only from known true values (one
        # table seen is not enough to tell a small count from the others).
        far = [c for c in unsettled if self._far(c, settled)]
        if len(far) >= _SPREAD_LEAST and all(self.lows[c] <= self.highs[c] for c in self.cells):
            self._optimise(dict.fromkeys(far, 1.0), maximise=False)
            unsettled = [c for c in unsettled if open_(c)]
        stalled = 0
        for round_ in range(_SPREAD_ROUNDS):
            if len(unsettled) < _SPREAD_LEAST or stalled >= 3:
                return
            before = len(unsettled)
            for maximise in (False, True):
                if round_ == 0:
                    objective = dict.fromkeys(unsettled, 1.0)
                else:  # a different corner each time, the same for the same table
                    objective = {
                        c: ((self.position[c] * 2654435761 + round_ * 40503) % 1000) / 500 - 1
                        for c in unsettled
                    }
                self._optimise(objective, maximise=maximise)
                unsettled = [c for c in unsettled if open_(c)]
            stalled = stalled + 1 if len(unsettled) == before else 0

    def _far(self, cell: CellKey, settled) -> bool:
        """Whether seeing ``cell`` one whole person lower or higher than seen so far would
        still leave it unsettled."""
        lo, hi = self.lows[cell], self.highs[cell]
        return lo <= hi and not settled(cell, lo - 1, hi) and not settled(cell, lo, hi + 1)

    def _single(self) -> dict[CellKey, Interval]:
        (cell,) = self.cells
        lo, hi = 0.0, math.inf
        for _constraint, coefficients, low, high in self.rows:
            coef = coefficients[cell]
            if abs(coef) < 1e-12:
                continue
            a, b = low / coef, high / coef
            if coef < 0:
                a, b = b, a
            lo, hi = max(lo, a), min(hi, b)
        if lo > hi + _TOLERANCE * max(1.0, abs(hi)):
            raise InconsistentPublication(self.constraints)
        low, high = _whole(lo, hi)
        return {cell: Interval(low, high, self.shown_constraints(cell))}

    def _build(self, name: str | None = None) -> None:
        self.solver_name = name or lp.for_size(len(self.cells))
        solver = lp.solver(self.solver_name)
        variables = {cell: solver.NumVar(0.0, self.big, "") for cell in self.cells}
        for _constraint, coefficients, low, high in self.rows:
            row = solver.Constraint(low, high)
            for cell, coef in coefficients.items():
                row.SetCoefficient(variables[cell], coef)
        self.solver, self.variables = solver, variables

    def _optimise(self, objective: Mapping[CellKey, float], *, maximise: bool) -> float:
        """The optimum of ``objective``; every solution found is kept as a witness."""
        if self.solver is None:
            self._build()
        status = self._run(objective, maximise)
        if status != pywraplp.Solver.OPTIMAL:
            # Confirm with another solver before believing it.
            self._build(lp.other(self.solver_name))
            status = self._run(objective, maximise)
        if status == pywraplp.Solver.INFEASIBLE:
            raise InconsistentPublication(self.constraints)
        if status != pywraplp.Solver.OPTIMAL:
            labels = "; ".join(sorted({c.label for c in self.constraints})[:5])
            raise RuntimeError(f"the solver gave up (status {status}) on: {labels}")
        solution = {c: v.solution_value() for c, v in self.variables.items()}
        self._see(solution)
        if self.solutions is not None:
            self.solutions.append(solution)
        return self.solver.Objective().Value()

    def _run(self, objective: Mapping[CellKey, float], maximise: bool) -> int:
        target = self.solver.Objective()
        target.Clear()
        for cell, coef in objective.items():
            target.SetCoefficient(self.variables[cell], coef)
        target.SetOptimizationDirection(maximise)
        return self.solver.Solve()


def _tighten(
    coefficients: Mapping[CellKey, float],
    low: float,
    high: float,
    lo: dict[CellKey, float],
    hi: dict[CellKey, float],
) -> list[CellKey]:
    """Narrow ``lo``/``hi`` of the cells of one relation (see ``_Component._propagate``);
    the cells whose bounds moved. Bounds are loosened by a hair against rounding, so they
    always contain the true range."""
    # What the terms can add up to: finite part and how many terms are unbounded.
    least = most = 0.0
    least_inf = most_inf = 0
    spans = []
    for cell, a in coefficients.items():
        if abs(a) < 1e-12:
            continue  # a cell whose terms cancel out is not bounded by this relation
        t_lo, t_hi = (a * lo[cell], a * hi[cell]) if a > 0 else (a * hi[cell], a * lo[cell])
        if math.isinf(t_lo):
            least_inf += 1
        else:
            least += t_lo
        if math.isinf(t_hi):
            most_inf += 1
        else:
            most += t_hi
        spans.append((cell, a, t_lo, t_hi))
    moved = []
    for cell, a, t_lo, t_hi in spans:
        # The other terms add up to between others_lo and others_hi.
        others_lo = -math.inf if least_inf - math.isinf(t_lo) else least - _finite(t_lo)
        others_hi = math.inf if most_inf - math.isinf(t_hi) else most - _finite(t_hi)
        term_lo, term_hi = low - others_hi, high - others_lo  # bounds of a * x
        new_lo, new_hi = (term_lo / a, term_hi / a) if a > 0 else (term_hi / a, term_lo / a)
        hair = 1e-9 * (1.0 + abs(new_lo) if math.isfinite(new_lo) else 1.0)
        if new_lo - hair > lo[cell] + _TOLERANCE:
            lo[cell] = new_lo - hair
            moved.append(cell)
        hair = 1e-9 * (1.0 + abs(new_hi) if math.isfinite(new_hi) else 1.0)
        if new_hi + hair < hi[cell] - _TOLERANCE:
            hi[cell] = new_hi + hair
            moved.append(cell)
    return moved


def _finite(value: float) -> float:
    return 0.0 if math.isinf(value) else value


def _components(
    published: Mapping[CellKey, float], constraints: Iterable[Constraint]
) -> list[_Component]:
    """The relations with published values put in, split into connected components of
    unknowns; a relation with no unknown left must hold on the published values."""
    linked = Linked()
    rows = []
    for constraint in constraints:
        constant = 0.0
        coefficients: dict[CellKey, float] = {}
        for cell, coef in constraint.terms:
            value = published.get(cell)
            if value is None:
                coefficients[cell] = coefficients.get(cell, 0.0) + coef
            else:
                constant += coef * float(value)
        low = -math.inf if constraint.low is None else constraint.low - constant
        high = math.inf if constraint.high is None else constraint.high - constant
        if not coefficients:
            slack = _TOLERANCE * max(1.0, abs(constant))
            if low > slack or high < -slack:
                raise InconsistentPublication([constraint])
            continue
        linked.join(coefficients)
        rows.append((constraint, coefficients, low, high))
    cells_of = linked.groups()
    rows_of: dict[CellKey, list] = defaultdict(list)
    for row in rows:
        rows_of[linked.root(next(iter(row[1])))].append(row)
    return [
        _Component(sorted(cells), rows_of[root])
        for root, cells in sorted(cells_of.items(), key=lambda item: min(item[1]))
    ]
