"""Which cells to hide so that no small count can be worked out (pure).

Primary suppression hides every count from 1 to ``k - 1`` the reader does not already know.
Secondary (complementary) suppression then hides other cells, so that the hidden ones cannot
be worked out from the totals they belong to:

1. every relation left with a single unknown that must stay unknown (a hidden cell, or a
   small remainder the reader could compute) gets a second one: its published cell that
   costs least to hide (``Table.weight``: small, inner cells first; ties by key);
2. the audit (``audit.audit``) then looks for what relations taken together still reveal.
   For each leak, a linear program finds another table the reader could not tell from
   the true one (every relation holds, no count is negative, every shown cell keeps its
   value unless it is hidden now) in which the leaking cell leaves its range: a small
   count reaches 0 or ``k``, a hidden cell pinned moves by one. The shown cells that
   table changes, of least total weight, are hidden (``_Alternatives``): with them hidden,
   that table is one the reader must allow, so the leak is gone, and hiding more never
   narrows another cell's range. The small counts found leaking are freed together
   first, by one table in which all of them are 0 (``freeing_all``: it witnesses each);
   one leak at a time only when no such table exists. The audit then runs again on the
   components that changed, until none leaks (usually once more). A complement (not
   itself a small count) that the audit finds pinned is shown instead: the reader can
   work it out, so hiding it protects nothing, and showing it changes nothing the reader
   can work out.
   A cell shown this way is changed by the tables above only when nothing else frees a
   leak; it is then hidden again, for good (``kept``: never shown twice); only a leak
   that even this cannot cover makes the part be protected again without showing any.

A *dense* part (cells in more than ``_DENSE_RELATIONS`` relations on average: all three
dimensions crossed) replaces step 1 (``free_all_small``): there its cascade hides most
cells and leaves one audit of thousands of hidden cells to find the leaks. Each lone
small count gets one complement (no cascade), then one table in which every small count
is 0 hides what it changes, before any audit; step 2 then runs as above.

The table is first split into *parts*: cells linked by relations, published or not
(``parts``). Nothing a reader sees in one part says anything about another (no relation
spans two), so each part is protected on its own, and the same part gives the same cells
whatever else is in the table: indicators never share a relation, nor do two years of
monthly data unless a relation spans them.

Each round hides at least one more cell, shows one or hides a shown one again, and a
cell is shown at most once and hidden again at most once, so it ends; a leak no table
true to the reader's known cells moves (they pin it) cannot be prevented and is reported
(``Protection.unprotectable``). The same table always gives the same cells.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

from ortools.linear_solver import pywraplp

from amparo.disclosure import lp
from amparo.disclosure.audit import audit
from amparo.disclosure.model import CellKey, Leak, Linked, Table

# A cell another table moves by more than this is changed there (``_Alternatives``).
_CHANGED = 1e-7
# A part whose cells sit in more relations than this on average (tables with three
# dimensions crossed: every cell is in several margins) gets its complements from one
# other table at once (``_Protector.free_all_small``), not by cascading then an audit.
_DENSE_RELATIONS = 4.0


@dataclass(frozen=True)
class Protection:
    hidden: frozenset[CellKey]  # primary and complementary, never a derived cell
    primary: frozenset[CellKey]  # the small counts themselves (remainders included)
    unprotectable: tuple[Leak, ...]  # leaks the reader's known cells make unavoidable
    rounds: int  # audits it took


def protect(table: Table, *, k: int) -> frozenset[CellKey]:
    """The cells to hide from a reader of ``table`` (see the module and ``protection``)."""
    return protection(table, k=k).hidden


def protection(table: Table, *, k: int) -> Protection:
    """``protect``, with what it could not prevent and how many audits it took (the most
    any part took: parts are independent, see the module)."""
    hidden: set[CellKey] = set()
    primary: set[CellKey] = set()
    unprotectable: list[Leak] = []
    rounds = 0
    for part in parts(table):
        found = _Protector(part, k).run()
        if found.unprotectable:
            # A leak even hiding shown cells again could not cover: protect the part
            # again hiding every complement, as before (slower, never worse).
            found = _Protector(part, k, showing=False).run()
        hidden |= found.hidden
        primary |= found.primary
        unprotectable.extend(found.unprotectable)
        rounds = max(rounds, found.rounds)
    unprotectable.sort(key=lambda leak: leak.cell)
    return Protection(frozenset(hidden), frozenset(primary), tuple(unprotectable), rounds)


def parts(table: Table) -> list[Table]:
    """``table`` split into connected components of its relations (cells linked by a
    relation, published or not), each a ``Table`` of its cells, relations, weights, known
    and derived cells; cells in no relation make parts of one cell. Ordered by their
    smallest cell, so the same table always gives the same parts."""
    if not table.values:
        return [table]
    linked = Linked()
    for cell in table.values:
        linked.add(cell)
    for constraint in table.constraints:
        linked.join(constraint.cells)
    cells_of = linked.groups()
    any_root = linked.root(next(iter(table.values)))
    constraints_of: dict[CellKey, list] = defaultdict(list)
    for constraint in table.constraints:
        # A relation without cells only checks published numbers: any part will do.
        root = linked.root(constraint.terms[0][0]) if constraint.terms else any_root
        constraints_of[root].append(constraint)
    if len(cells_of) == 1:
        return [table]
    found = []
    for root, cells in sorted(cells_of.items(), key=lambda item: min(item[1])):
        values = {cell: table.values[cell] for cell in cells if cell in table.values}
        found.append(
            replace(
                table,
                values=values,
                constraints=tuple(constraints_of[root]),
                weights={c: table.weights[c] for c in cells if c in table.weights},
                known=frozenset(c for c in cells if c in table.known),
                derived=frozenset(c for c in cells if c in table.derived),
            )
        )
    return found


class _Published(Mapping[CellKey, float]):
    """The table's values without the hidden and derived cells (no copy of a big table)."""

    def __init__(self, values: Mapping[CellKey, float], unpublished: set[CellKey]) -> None:
        self.values, self.unpublished = values, unpublished

    def __getitem__(self, cell: CellKey) -> float:
        if cell in self.unpublished:
            raise KeyError(cell)
        return self.values[cell]

    def __contains__(self, cell: object) -> bool:
        return cell in self.values and cell not in self.unpublished

    def __iter__(self) -> Iterator[CellKey]:
        return (cell for cell in self.values if cell not in self.unpublished)

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Protector:
    def __init__(self, table: Table, k: int, *, showing: bool = True) -> None:
        self.table, self.k = table, k
        self.showing = showing  # whether pinned complements may be shown (``reveal``)
        self.values = table.values
        # In the order of their terms, so that the result does not depend on theirs.
        self.constraints = tuple(sorted(table.constraints, key=lambda c: (c.terms, c.label)))
        self.sensitive = {
            cell
            for cell, value in table.values.items()
            if 1 <= value <= k - 1 and cell not in table.known
        }
        self.hidden = {cell for cell in self.sensitive if cell not in table.derived}
        # Cells of relations without a value are unknown to the reader as well.
        self.unpublished = set(self.hidden) | set(table.derived)
        self.relations_of: dict[CellKey, list[int]] = defaultdict(list)
        for index, constraint in enumerate(self.constraints):
            for cell in constraint.cells:
                self.relations_of[cell].append(index)
                if cell not in table.values:
                    self.unpublished.add(cell)
        self.published = _Published(table.values, self.unpublished)
        self.unprotectable: dict[CellKey, Leak] = {}
        self.revealed: set[CellKey] = set()  # complements found pinned, shown after all
        # Shown cells hidden again for a small count stranded without them: never shown
        # twice, so that every cell changes side at most twice and the run ends.
        self.kept: set[CellKey] = set()
        # Other tables the reader cannot tell from the true one (``free_all_small``): the
        # audit takes their values as seen, so a cell they move is settled without a solve.
        self.witnesses: list[dict[CellKey, float]] = []

    def hideable(self, cell: CellKey) -> bool:
        return (
            cell not in self.unpublished
            and cell not in self.table.known
            and cell not in self.revealed
        )

    def pointless(self, leak: Leak) -> bool:
        """Whether ``leak`` is a complement (not a small count) pinned exactly."""
        return (
            self.showing
            and leak.pinned
            and leak.cell in self.hidden
            and leak.cell not in self.sensitive
            and leak.cell not in self.kept
        )

    def reveal(self, cell: CellKey) -> None:
        # A table that changes a cell shown now is no longer one the reader allows (one
        # without the cell, from another component, keeps its true value).
        value = float(self.values.get(cell, 0))
        self.witnesses = [
            table for table in self.witnesses if abs(table.get(cell, value) - value) <= _CHANGED
        ]
        self.hidden.discard(cell)
        self.unpublished.discard(cell)
        self.revealed.add(cell)

    def cost(self, cell: CellKey) -> tuple[float, CellKey]:
        return (self.table.weight(cell), cell)

    def hide(self, cell: CellKey) -> None:
        self.hidden.add(cell)
        self.unpublished.add(cell)

    def run(self) -> Protection:
        constraints = self.constraints
        dirty = sorted(self.unpublished)
        if not (self.dense() and self.free_all_small()):
            self.close_singletons(range(len(constraints)))
        rounds = 0
        while True:
            rounds += 1
            scope = self.component_relations(dirty) if rounds > 1 else range(len(constraints))
            leaks = audit(
                self.published,
                [constraints[i] for i in scope],
                k=self.k,
                hidden=self.hidden,
                feasible=self.values,
                also=self.witnesses,
                seen=self.witnesses,
            )
            leaks = [leak for leak in leaks if leak.cell not in self.unprotectable]
            if not leaks:
                break
            # A complement the reader can work out exactly hides nothing: it is shown
            # (and never hidden again) rather than hidden behind more cells.
            pinned = [leak.cell for leak in leaks if self.pointless(leak)]
            for cell in pinned:
                self.reveal(cell)
            rest = [leak for leak in leaks if leak.cell not in self.revealed]
            added = self.free_leaks(rest)
            if not added and not pinned:
                break
            around = [
                other
                for cell in pinned
                for i in self.relations_of[cell]
                for other in constraints[i].cells
            ]
            dirty = added + [leak.cell for leak in leaks] + around
        return Protection(
            frozenset(self.hidden),
            frozenset(self.sensitive),
            tuple(self.unprotectable[cell] for cell in sorted(self.unprotectable)),
            rounds,
        )

    def dense(self) -> bool:
        """Whether the cells sit in more than ``_DENSE_RELATIONS`` relations on average."""
        cells = len(self.relations_of)
        return cells > 0 and sum(map(len, self.relations_of.values())) > _DENSE_RELATIONS * cells

    def free_all_small(self) -> bool:
        """Step 1 for a dense part: a complement for each lone small count (one pass, no
        cascade), then the shown cells that one other table of least weight changes to
        bring every small count to 0 at once are hidden, so that no small count has to
        be found exposed by an audit first. False (nothing changed) when no table does
        (the reader's known cells pin a small count)."""
        hidden, unpublished = set(self.hidden), set(self.unpublished)
        self.close_singletons(range(len(self.constraints)), cascade=False)
        tables = _Alternatives(self, revealed=False, once=True)
        chosen = tables.freeing_all(sorted(self.sensitive), keep=True)
        if chosen is None:
            self.hidden, self.unpublished = hidden, unpublished
            self.published = _Published(self.values, unpublished)
            return False
        self.hide_changed(chosen, [])
        self.witnesses.append(tables.table)
        return True

    def must_stay_unknown(self, cell: CellKey) -> bool:
        return cell in self.hidden or cell in self.sensitive

    def close_singletons(self, indexes, *, cascade: bool = True) -> None:
        """Step 1 of the module, until no relation has a lone unknown that must stay so
        (with ``cascade`` false, one pass: a cell hidden here does not queue its own
        relations again)."""
        constraints = self.constraints
        queue = list(indexes)
        queue.reverse()  # pop() takes them in order
        while queue:
            constraint = constraints[queue.pop()]
            unknown = [cell for cell in constraint.cells if cell in self.unpublished]
            if len(unknown) != 1 or not self.must_stay_unknown(unknown[0]):
                continue
            candidates = [cell for cell in constraint.cells if self.hideable(cell)]
            if not candidates:
                continue  # the audit will report it if it is a leak
            chosen = min(candidates, key=self.cost)
            self.hide(chosen)
            if cascade:
                queue.extend(reversed(self.relations_of[chosen]))

    def component_relations(self, cells: list[CellKey]) -> list[int]:
        """Every relation reachable from ``cells`` through unknown cells, in order."""
        constraints = self.constraints
        seen_cells = set()
        seen: set[int] = set()
        stack = [cell for cell in cells if cell in self.unpublished]
        while stack:
            cell = stack.pop()
            if cell in seen_cells:
                continue
            seen_cells.add(cell)
            for i in self.relations_of[cell]:
                if i in seen:
                    continue
                seen.add(i)
                stack.extend(other for other in constraints[i].cells if other in self.unpublished)
        return sorted(seen)

    def free_leaks(self, leaks: list[Leak]) -> list[CellKey]:
        """Step 2 of the module: for each leak, hide the shown cells that another table,
        true to everything shown and every relation, changes to move the leaking cell out
        of its range (``_Alternatives``); the cells hidden."""
        added: list[CellKey] = []
        if not leaks:
            return added
        tables = [_Alternatives(self, revealed=False)]
        small = [leak.cell for leak in leaks if leak.cell in self.sensitive]
        if len(small) > 1:
            # One table in which every small count is 0 at once witnesses them all; cells
            # shown by ``reveal`` may change in it only if it exists no other way.
            chosen = tables[0].freeing_all(small)
            if chosen is None:
                tables.append(_Alternatives(self, revealed=True))
                chosen = tables[1].freeing_all(small)
            if chosen is not None:
                added += self.hide_changed(chosen, tables)
                leaks = [leak for leak in leaks if leak.cell not in self.sensitive]
        for leak in leaks:
            chosen = tables[0].freeing(leak.cell)
            if chosen is None:
                if len(tables) == 1:  # cells shown by ``reveal`` may change too
                    tables.append(_Alternatives(self, revealed=True))
                chosen = tables[1].freeing(leak.cell)
            if chosen is None:
                self.unprotectable[leak.cell] = leak
                continue
            added += self.hide_changed(chosen, tables)
        return added

    def hide_changed(self, chosen: list[CellKey], tables: list[_Alternatives]) -> list[CellKey]:
        """Hide the shown cells another table changes (``chosen``); they cost nothing more
        in ``tables``."""
        for cell in chosen:
            if cell in self.revealed:  # needed after all: hidden again, for good
                self.revealed.discard(cell)
                self.kept.add(cell)
            self.hide(cell)
            for table in tables:
                table.hidden(cell)
        return list(chosen)


class _Alternatives:
    """Other tables a reader cannot tell from the true one: every relation holds, every
    count is at least 0, and only cells the reader does not see may differ, unless a
    shown cell is hidden (at the cost of its weight). One linear program over the part,
    kept across leaks: only bounds and the objective change, so each solve starts from
    the previous one."""

    def __init__(self, protector: _Protector, *, revealed: bool, once: bool = False) -> None:
        self.protector = protector
        # One solve (``once``): HiGHS, much faster on a big part. Many solves, one per
        # leak: GLOP, whose dual simplex restarts from the last basis (``lp``).
        solver = lp.solver("HIGHS") if once else lp.solver("GLOP", dual=True)
        values, table = protector.values, protector.table
        self.rise: dict[CellKey, pywraplp.Variable] = {}
        self.fall: dict[CellKey, pywraplp.Variable] = {}
        objective = solver.Objective()
        for constraint in protector.constraints:
            for cell in constraint.cells:
                if cell in self.rise or cell in table.known:
                    continue
                if cell in protector.revealed and not revealed:
                    continue
                up = solver.NumVar(0.0, solver.infinity(), "")
                down = solver.NumVar(0.0, max(float(values.get(cell, 0)), 0.0), "")
                self.rise[cell], self.fall[cell] = up, down
                if cell not in protector.unpublished:
                    objective.SetCoefficient(up, table.weight(cell))
                    objective.SetCoefficient(down, table.weight(cell))
        for constraint in protector.constraints:
            coefficients: dict[CellKey, float] = {}
            constant = 0.0
            for cell, coef in constraint.terms:
                constant += coef * float(values.get(cell, 0))
                if cell in self.rise:
                    coefficients[cell] = coefficients.get(cell, 0.0) + coef
            if not coefficients:
                continue
            low = -solver.infinity() if constraint.low is None else constraint.low - constant
            high = solver.infinity() if constraint.high is None else constraint.high - constant
            row = solver.Constraint(low, high)
            for cell, coef in coefficients.items():
                row.SetCoefficient(self.rise[cell], coef)
                row.SetCoefficient(self.fall[cell], -coef)
        objective.SetMinimization()
        self.solver = solver
        self.table: dict[CellKey, float] = {}  # the last table kept (``solve``)

    def hidden(self, cell: CellKey) -> None:
        """``cell`` is hidden now: changing it costs nothing more."""
        if cell in self.rise:
            self.solver.Objective().SetCoefficient(self.rise[cell], 0.0)
            self.solver.Objective().SetCoefficient(self.fall[cell], 0.0)

    def freeing(self, cell: CellKey) -> list[CellKey] | None:
        """The shown cells of least total weight that another table changes to move
        ``cell`` by its first goal that some table reaches (``goals``); None when no such
        table exists (the reader's known cells pin it)."""
        for goal in self.goals(cell):
            found = self.alternative(cell, goal)
            if found is not None:
                return found
        return None

    def freeing_all(self, cells: list[CellKey], *, keep: bool = False) -> list[CellKey] | None:
        """The shown cells of least total weight that one other table changes to bring
        every one of ``cells`` (small counts) down to 0 at once; None when none does.
        ``keep``: that table's values are kept in ``table``."""
        if any(cell not in self.rise for cell in cells):
            return None
        moves = [(self.fall[cell], self.fall[cell].ub(), None) for cell in cells]
        moves += [(self.rise[cell], None, 0.0) for cell in cells]
        return self.solve_with(moves, keep=keep)

    def solve_with(
        self, bounds: list[tuple[pywraplp.Variable, float | None, float | None]], *, keep: bool
    ) -> list[CellKey] | None:
        """``solve`` with each variable's lower and upper bound set as given (None: as it
        is) for this solve only."""
        saved = [(var, var.lb(), var.ub()) for var, _low, _high in bounds]
        for var, low, high in bounds:
            var.SetBounds(var.lb() if low is None else low, var.ub() if high is None else high)
        found = self.solve(keep=keep)
        for var, low, high in saved:
            var.SetBounds(low, high)
        return found

    def solve(self, *, keep: bool = False) -> list[CellKey] | None:
        """The shown cells (sorted) the table of least weight changes; None if none.
        ``keep``: the table's values are kept in ``table`` (read now: a solution is gone
        once a bound changes)."""
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        values, fall = self.protector.values, self.fall
        if keep:
            self.table = {
                cell: float(values.get(cell, 0)) + up.solution_value() - fall[cell].solution_value()
                for cell, up in self.rise.items()
            }
        unpublished = self.protector.unpublished
        return sorted(
            other
            for other, var in self.rise.items()
            if other not in unpublished
            and abs(var.solution_value() - self.fall[other].solution_value()) > _CHANGED
        )

    def goals(self, cell: CellKey) -> list[float]:
        """How far ``cell`` must move: to 0 or to ``k`` for a small count, by one
        otherwise (a hidden cell pinned). Down first: a cell can rise to make up for it
        whatever its value, so the cheapest cells (zeros) can help."""
        protector = self.protector
        value = float(protector.values.get(cell, 0))
        if cell in protector.sensitive:
            return [-value, protector.k - value]
        return [-1.0, 1.0] if value >= 1 else [1.0]

    def alternative(self, cell: CellKey, goal: float) -> list[CellKey] | None:
        """The shown cells (sorted) changed by the table of least weight that moves
        ``cell`` by ``goal``; None when there is none."""
        if cell not in self.rise:
            return None
        up, down = self.rise[cell], self.fall[cell]
        if goal > 0:
            return self.solve_with([(up, goal, None), (down, None, 0.0)], keep=False)
        if down.ub() + 1e-9 >= -goal:
            return self.solve_with([(down, -goal, None), (up, None, 0.0)], keep=False)
        return None
