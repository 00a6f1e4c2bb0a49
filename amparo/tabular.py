"""Spreadsheets in and out: CSV and XLSX written with cells a spreadsheet will not run, and
read back row by row (pure apart from openpyxl; no Django import).

Readers stream: they yield one row at a time as a list of strings, and a row that cannot
be read as the exception instead, so a parser can report it with its row number and go on.
A reader holds on to its stream until it is closed: read through ``reading``, which
closes the reader when the block ends, whether or not every row was read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO, Generic, TypeVar

Row = list[str] | Exception
FORMATS = ("csv", "xlsx")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
csv.field_size_limit(1024 * 1024)  # a cell over 1 MB is reported, not read


# --- writing ------------------------------------------------------------------------------

T = TypeVar("T")


@dataclass(frozen=True)
class Column(Generic[T]):
    """One column of a table written out: its header (a lazy translation is read in the
    language active when the table is written) and how an item gives its value. Each
    entity's columns are defined once (e.g. ``assessment/columns.py``) and shared by its
    page's CSV download, the lists and the workbook."""

    header: Any
    value: Callable[[T], Any]


def table(columns: Sequence[Column[T]], items: Iterable[T]) -> tuple[list[str], Iterator[list]]:
    """The header and the rows of ``items`` in ``columns``, for ``csv_bytes`` or a sheet of
    ``xlsx_bytes``."""
    return [str(c.header) for c in columns], ([c.value(item) for c in columns] for item in items)


def safe_cell(value: Any) -> Any:
    """A value a spreadsheet will not run: text that starts like a formula gets a quote."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell("" if v is None else v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # a BOM so Excel reads UTF-8


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """One sheet per (title, header, rows); dates and numbers keep their types."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(v) for v in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading ------------------------------------------------------------------------------


class UnreadableFile(ValueError):
    """The file is not a spreadsheet amparo can read (the message is a problem code:
    ``not_utf8``, ``not_xlsx``, ``damaged_file``)."""


def csv_rows(stream: BinaryIO) -> Iterator[Row]:
    """Rows of a CSV file as lists of strings (UTF-8, with or without BOM; comma or
    semicolon). A row that cannot be read is yielded as the exception instead."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    try:
        try:
            sample = text.read(4096)
        except UnicodeDecodeError:
            raise UnreadableFile("not_utf8") from None
        text.seek(0)
        delimiter = ";" if sample.count(";") > sample.count(",") else ","
        reader = csv.reader(text, delimiter=delimiter)
        while True:
            try:
                yield next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError:
                yield UnreadableFile("not_utf8")
                return
            except csv.Error as error:
                yield error
    finally:
        text.detach()  # the caller owns (and closes) the underlying file


def xlsx_rows(stream: BinaryIO) -> Iterator[Row]:
    """Rows of the first sheet of an .xlsx file, cells as strings; formulas give their last
    computed value, never the formula."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        raise UnreadableFile("not_xlsx") from None
    try:
        # In read-only mode the sheet is parsed while rows are read, so a damaged part
        # (sheet XML cut short, a missing part) only shows here.
        try:
            rows = workbook.worksheets[0].iter_rows(values_only=True)
            while True:
                try:
                    row = next(rows)
                except StopIteration:
                    return
                yield ["" if cell is None else _cell_text(cell) for cell in row]
        except Exception:  # zipfile, XML and openpyxl errors alike
            yield UnreadableFile("damaged_file")
    finally:
        workbook.close()


READERS = {"csv": csv_rows, "xlsx": xlsx_rows}


@contextmanager
def reading(stream: BinaryIO, file_format: str) -> Iterator[Iterator[Row]]:
    """The rows of ``stream``, a ``csv`` or ``xlsx`` file. The reader is closed on leaving
    the block, read to the end or not, so that it lets go of the stream before whoever
    opened the stream closes it: ``with open(...) as stream, reading(stream, "csv") as
    rows``. (A reader left half-read and closed later by the garbage collector would find
    its stream closed.)"""
    rows = READERS[file_format](stream)
    try:
        yield rows
    finally:
        rows.close()


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat()
    return str(cell)
