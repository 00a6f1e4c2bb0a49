"""Work limits: the planner's deterministic mode counts work, not seconds.

Pure Python, no Django, nothing of the package imported. With a wall-clock limit the
search stops wherever the clock finds it, so the same plan gives another schedule on a
busy machine. In deterministic mode (the default) a plan's ``time_limit_s`` is read as
that many **work units**, each about what one core of the development machine does in a
second, and every step gets a count instead of a clock: greedy tries, local-search moves,
the second process's moves and CP-SAT's deterministic time. The counts scale with the
plan's size the way each step's cost does (measured on the benchmark family), so a unit
stays near a second at every size. A wall-clock cap (``Cap``) stays as a safety net, so a
slow machine still ends; when it cuts a step short the result says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

# Measured on the 2-core development machine, on the family's plans of 20 to 400 events:
# a greedy schedule costs about a microsecond per event squared, a local-search move
# (one full timing of the schedule) about 1.6 microseconds per event plus a little.
GREEDY_MICROSECONDS_PER_EVENT_SQUARED = 1.0
MOVE_MICROSECONDS_PER_EVENT = 2.5
MOVE_MICROSECONDS_FIXED = 10.0
# The bound's linear programs (GLOP) on the 25-region plans: about 2,000 simplex
# iterations a second.
SIMPLEX_ITERATIONS_PER_UNIT = 1500
# Programs larger than this many variables (about the 25-region plans') cost more per
# iteration, in proportion; building one costs about this many iterations per variable
# (on 50 regions, one program of 40,000 variables takes seconds to build and a minute to
# solve: counted so, the bound of large plans stops in its share instead of overrunning).
LP_REFERENCE_VARIABLES = 10_000
LP_BUILD_ITERATIONS_PER_VARIABLE = 0.02
# Finding how long each event ties its team (``successors.tied_until``) costs about this
# many (event, next event, start day) cells per simplex iteration's time.
TIED_CELLS_PER_ITERATION = 50_000
# A program is solved only when at least this many iterations per variable are left for it
# (the benchmark's take 0.1-0.2): fewer would leave it undecided.
LP_MIN_ITERATIONS_SHARE = 0.1
# The most greedy tries, as with a clock.
MAX_GREEDY_TRIES = 300
# CP-SAT's deterministic time per work unit (its "deterministic seconds" run faster than
# wall-clock ones on the development machine with interleaved workers).
CP_SAT_DETERMINISTIC_PER_UNIT = 0.2
# The large-neighbourhood search's CP-SAT deterministic time per work unit (one worker,
# and a charge for building each model, see ``lns``).
LNS_DETERMINISTIC_PER_UNIT = 0.2
# The wall-clock cap: this many times the time limit, plus a few seconds for small limits.
CAP_FACTOR = 3.0
CAP_EXTRA_SECONDS = 10.0


def greedy_tries(events: int, units: float) -> int:
    """How many random greedy variants ``units`` of work buy on a plan of ``events``."""
    cost = GREEDY_MICROSECONDS_PER_EVENT_SQUARED * max(events, 1) ** 2
    return max(1, min(MAX_GREEDY_TRIES, int(units * 1e6 / cost)))


def search_moves(events: int, units: float) -> int:
    """How many local-search moves ``units`` of work buy on a plan of ``events``."""
    cost = MOVE_MICROSECONDS_PER_EVENT * events + MOVE_MICROSECONDS_FIXED
    return max(1, int(units * 1e6 / cost))


def bound_iterations(units: float) -> int:
    """How many simplex iterations ``units`` of work buy for the bound's programs."""
    return max(1, int(units * SIMPLEX_ITERATIONS_PER_UNIT))


def cap_seconds(limit: float) -> float:
    return CAP_FACTOR * limit + CAP_EXTRA_SECONDS


@dataclass
class Cap:
    """The wall-clock safety net of a deterministic plan: ``deadline`` is a
    ``time.perf_counter()`` time; ``reached`` turns True once any step saw it pass."""

    deadline: float
    reached: bool = False

    @classmethod
    def after(cls, seconds: float) -> Cap:
        return cls(time.perf_counter() + seconds)

    def left(self) -> float:
        """Seconds left before the cap (noting that it was reached when none are)."""
        left = self.deadline - time.perf_counter()
        if left <= 0:
            self.reached = True
        return max(left, 0.0)

    def wall_until(self) -> float:
        """The cap as a ``time.time()`` time, which another process shares."""
        return time.time() + self.left()
