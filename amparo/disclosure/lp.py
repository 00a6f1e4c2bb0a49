"""The linear-programming solvers of suppression and the audit (pure).

HiGHS (bundled with OR-Tools) solves one big program many times faster than GLOP: a
three-way table of 10 regions for a year took 8 s to audit with HiGHS's interior point
method, 27 s with its simplex and far longer with GLOP. But OR-Tools hands HiGHS the whole
program at each solve, so nothing is reused between solves, while GLOP restarts from its
last basis: for many solves of one program that changes little (the repairs of a sex x
age part, one per leak) GLOP is faster. So the audit takes HiGHS for big components
(``for_size``) and suppression for its one-off programs; the other solver is the second
opinion before a program is believed to have no solution.
"""

from __future__ import annotations

from ortools.linear_solver import pywraplp

# The audit's components of at least this many unknowns go to HiGHS (``for_size``): a
# three-way table of 5 regions (5,800 hidden cells) took 7.5 s with its simplex, 39 s
# with GLOP.
BIG = 3_000


def for_size(unknowns: int) -> str:
    return "HIGHS" if unknowns >= BIG else "GLOP"


def other(name: str) -> str:
    """The second opinion on ``name``'s answer."""
    return "GLOP" if name == "HIGHS" else "HIGHS"


def solver(name: str, *, dual: bool = False) -> pywraplp.Solver:
    """A new, silent solver: HiGHS or GLOP (``dual``: GLOP's dual simplex, for programs
    whose bounds change between solves)."""
    found = pywraplp.Solver.CreateSolver(name)
    if name == "HIGHS":
        # HiGHS prints a banner on standard output at every solve unless told not to
        # (OR-Tools answers False to this call, but passes the options on). Its interior
        # point method, then crossover to a vertex, beat its simplex 3-12 times here (a
        # three-way table of 10 regions: audit 8 s against 27 s, the table freeing every
        # small count 1.6 s against 18 s; of 25 regions, 3.2 s against 55 s).
        found.SetSolverSpecificParametersAsString("output_flag=false\nsolver=ipm")
    elif name == "GLOP":
        # GLOP's presolve has called feasible tables of thousands of cells infeasible.
        found.SetSolverSpecificParametersAsString(
            "use_preprocessing: false" + (" use_dual_simplex: true" if dual else "")
        )
    return found
