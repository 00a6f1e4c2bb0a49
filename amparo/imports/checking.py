"""What every import's check reports, and the walk over rows that every parser shares
(pure; no Django import).

A parser reads a header and then rows (``amparo.tabular`` rows: lists of strings, or the
exception a row could not be read with) and fills a ``CheckReport``: counts, the problems
with their row and column (the first ``MAX_PROBLEMS`` kept, all counted) and whether the
source as a whole cannot be imported (``fatal``). Problem reasons are codes, translated
where they are shown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from amparo.tabular import Row, UnreadableFile

MAX_PROBLEMS = 500


@dataclass(frozen=True)
class Problem:
    row: int  # the spreadsheet row number: the header is row 1; 0 for the job as a whole
    column: str
    reason: str  # a code, translated for display
    value: str = ""


@dataclass
class CheckReport:
    source: str = ""  # where the rows come from, when the kind can tell (kobo | odk)
    rows_read: int = 0
    rows_valid: int = 0
    rows_already: int = 0  # valid rows that an earlier import already brought in
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    fatal: bool = False  # the source as a whole cannot be imported

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    def refuse(self, problem: Problem) -> None:
        """Record a problem that makes the whole source unimportable."""
        self.add(problem)
        self.fatal = True


def header_row(rows: Iterator[Row], report: CheckReport) -> list[str] | None:
    """The header, or None when there is none to read (the reason is on ``report``): an
    unreadable file, or an empty one (no row, or a first row of empty cells)."""
    try:
        header = next(rows)
    except StopIteration:
        header = None
    except UnreadableFile as error:
        report.refuse(Problem(1, "", str(error)))
        return None
    if isinstance(header, UnreadableFile):
        report.refuse(Problem(1, "", str(header)))
        return None
    if header is None or isinstance(header, Exception) or not any(c.strip() for c in header):
        report.refuse(Problem(1, "", "empty_file"))
        return None
    return header


def body_rows(
    rows: Iterator[Row],
    report: CheckReport,
    on_row: Callable[[int], None] | None = None,
) -> Iterator[tuple[int, list[str]]]:
    """The rows after the header as (row number, cells), skipping empty ones and counting
    every other in ``report.rows_read``. A row that cannot be read is a problem of its
    row; a file that turns out unreadable midway stops the walk as fatal. ``on_row`` is
    told how many rows were handled so far, before each one (for progress)."""
    for number, row in enumerate(rows, start=2):
        if on_row is not None:
            on_row(number - 2)
        if isinstance(row, UnreadableFile):
            report.refuse(Problem(number, "", str(row)))
            return
        if isinstance(row, Exception):
            report.rows_read += 1
            report.add(Problem(number, "", "unreadable_row"))
            continue
        if not any(cell.strip() for cell in row):
            continue
        report.rows_read += 1
        yield number, row
