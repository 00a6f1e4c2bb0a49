"""Read field submissions exported by KoboToolbox (XLSX or CSV, group separator ``/``) or
ODK Central (CSV, separator ``-``). Pure functions over rows; no Django import.

Rows are streamed: the parser keeps counts, the problems (capped) and a compact set of
instance-ID hashes to spot duplicates, never the rows themselves. Valid rows are handed to
a callback so the caller can count them (preview) or write them (import).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from amparo.questionnaires.xlsform import META_REGION, META_ROUND, META_VERSION

MAX_PROBLEMS = 500
MAX_TEXT = 500
MAX_INTEGER = 2**31 - 1  # ODK Collect's largest integer answer
csv.field_size_limit(1024 * 1024)  # a cell over 1 MB is reported, not read

KOBO_META = {
    "_id",
    "_uuid",
    "_submission_time",
    "_index",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_xform_id_string",
    "_parent_table_name",
    "_parent_index",
    "_attachments",
    "_geolocation",
    "start",
    "end",
    "today",
    "deviceid",
    "formhub/uuid",
    "meta/instanceID",
    "meta/rootUuid",
    "meta/deprecatedID",
    "meta/instanceName",
}
ODK_META = {
    "SubmissionDate",
    "meta-instanceID",
    "KEY",
    "ReviewState",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "DeviceID",
    "Edits",
    "FormVersion",
    "instanceID",
    "meta-instanceName",
    "meta-deprecatedID",
}


@dataclass(frozen=True)
class FieldSpec:
    group: str
    name: str
    kind: str  # yes_no | choice | integer | text
    choices: frozenset[str] = frozenset()
    required: bool = False


@dataclass(frozen=True)
class ImportContext:
    fields: tuple[FieldSpec, ...]
    versions: frozenset[str]  # a sector's form and the all-sectors form differ
    round_number: int
    allowed_regions: frozenset[str]


@dataclass(frozen=True)
class Problem:
    row: int  # the spreadsheet row number: the header is row 1
    column: str
    reason: str  # a code, translated for display
    value: str = ""


@dataclass(frozen=True)
class ParsedSubmission:
    row: int
    instance_id: str
    submitted_at: str
    region: str
    answers: dict[tuple[str, str], str]  # (group, name) -> normalized value


@dataclass
class ParseResult:
    source: str = ""  # kobo | odk
    rows_read: int = 0
    rows_valid: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    fatal: bool = False  # the file as a whole cannot be imported

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)


# --- reading files -----------------------------------------------------------------------


class UnreadableFile(ValueError):
    """The file is not a spreadsheet amparo can read (reason is a problem code)."""


def csv_rows(stream: BinaryIO) -> Iterator[list[str] | Exception]:
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


def xlsx_rows(stream: BinaryIO) -> Iterator[list[str] | Exception]:
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


def _cell_text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if hasattr(cell, "isoformat"):
        return cell.isoformat()
    return str(cell)


# --- columns ------------------------------------------------------------------------------


@dataclass
class Columns:
    source: str
    instance: list[int]  # candidate columns for the instance ID, best first
    submitted: int | None
    review: int | None
    region: int | None
    round: int | None
    version: int | None
    answers: dict[int, FieldSpec]
    unknown: list[str]


def map_columns(header: list[str], fields: tuple[FieldSpec, ...]) -> Columns:
    """Which column holds what; order does not matter, unknown columns are listed."""
    names = [h.strip() for h in header]
    odk = "SubmissionDate" in names or "meta-instanceID" in names or "KEY" in names
    separator = "-" if odk else "/"
    by_full = {f"{f.group}{separator}{f.name}": f for f in fields}
    by_name: dict[str, list[FieldSpec]] = {}
    for f in fields:
        by_name.setdefault(f.name, []).append(f)
    known_meta = ODK_META if odk else KOBO_META
    position = {name: index for index, name in enumerate(names)}
    instance = [
        position[c]
        for c in (("meta-instanceID", "KEY", "instanceID") if odk else ("meta/instanceID", "_uuid"))
        if c in position
    ]
    answers, unknown = {}, []
    for index, name in enumerate(names):
        bare = name.rsplit(separator, 1)[-1]
        if name in by_full:
            answers[index] = by_full[name]
        elif name in known_meta or bare in (META_REGION, META_ROUND, META_VERSION):
            continue
        elif separator not in name and len(by_name.get(name, [])) == 1:
            answers[index] = by_name[name][0]  # exported without group names
        elif name:
            unknown.append(name)

    def find(meta: str) -> int | None:
        return next((i for i, n in enumerate(names) if n.rsplit(separator, 1)[-1] == meta), None)

    return Columns(
        source="odk" if odk else "kobo",
        instance=instance,
        submitted=position.get("SubmissionDate" if odk else "_submission_time"),
        review=position.get("ReviewState") if odk else None,
        region=find(META_REGION),
        round=find(META_ROUND),
        version=find(META_VERSION),
        answers=answers,
        unknown=unknown,
    )


# --- values -------------------------------------------------------------------------------


def normalize(spec: FieldSpec, raw: str) -> tuple[str | None, str | None]:
    """(value, problem code) for one answer; ("", None) for an empty optional answer."""
    value = raw.strip()
    if value == "":
        return ("", "missing_required") if spec.required else ("", None)
    if spec.kind in ("yes_no", "choice"):
        return (value, None) if value in spec.choices else (None, "unknown_choice")
    if spec.kind == "integer":
        return _whole_number(value)
    if len(value) > MAX_TEXT:
        return None, "too_long"
    return value, None


def _whole_number(value: str) -> tuple[str | None, str | None]:
    """A whole number read exactly (no float rounding: "12345678901234567" stays so), in
    the range of an ODK integer answer."""
    try:
        number = Decimal(value)
    except InvalidOperation:
        return None, "not_an_integer"
    if not number.is_finite() or number != number.to_integral_value():
        return None, "not_an_integer"
    if number < 0:
        return None, "negative"
    if number > MAX_INTEGER:
        return None, "too_large"
    return str(int(number)), None


def _at(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _hash(instance_id: str) -> int:
    return int.from_bytes(hashlib.blake2b(instance_id.encode(), digest_size=8).digest(), "big")


def parse_submissions(
    rows: Iterator[list[str] | Exception],
    context: ImportContext,
    on_valid: Callable[[ParsedSubmission], None],
    on_progress: Callable[[int], None] | None = None,
    progress_every: int = 5000,
) -> ParseResult:
    """Check every row against the questionnaire and the context; hand valid rows to
    ``on_valid``. Never raises for bad content: every problem is reported with its row."""
    result = ParseResult()
    try:
        header = next(rows)
    except StopIteration:
        header = None
    except UnreadableFile as error:
        result.add(Problem(1, "", str(error)))
        result.fatal = True
        return result
    if isinstance(header, UnreadableFile):
        result.add(Problem(1, "", str(header)))
        result.fatal = True
        return result
    if header is None or isinstance(header, Exception) or not any(c.strip() for c in header):
        result.add(Problem(1, "", "empty_file"))
        result.fatal = True
        return result
    columns = map_columns(header, context.fields)
    result.source, result.unknown_columns = columns.source, columns.unknown
    for needed, index in (
        (
            "meta-instanceID" if columns.source == "odk" else "_uuid",
            columns.instance[0] if columns.instance else None,
        ),
        (META_VERSION, columns.version),
        (META_REGION, columns.region),
    ):
        if index is None:
            result.add(Problem(1, needed, "missing_column"))
            result.fatal = True
    if result.fatal:
        return result
    if not columns.answers:
        result.add(Problem(1, "", "no_known_questions"))
        result.fatal = True
        return result
    seen: set[int] = set()
    for number, row in enumerate(rows, start=2):
        if on_progress and number % progress_every == 0:
            on_progress(number - 1)
        if isinstance(row, UnreadableFile):
            result.add(Problem(number, "", str(row)))
            result.fatal = True
            return result
        if isinstance(row, Exception):
            result.rows_read += 1
            result.add(Problem(number, "", "unreadable_row"))
            continue
        if not any(cell.strip() for cell in row):
            continue
        result.rows_read += 1
        parsed = _check_row(number, row, columns, context, result, seen)
        if parsed is not None:
            result.rows_valid += 1
            on_valid(parsed)
    return result


def _check_row(
    number: int,
    row: list[str],
    columns: Columns,
    context: ImportContext,
    result: ParseResult,
    seen: set[int],
) -> ParsedSubmission | None:
    problems = []
    instance_id = next((_at(row, i) for i in columns.instance if _at(row, i)), "")
    instance_id = instance_id.removeprefix("uuid:")
    if not instance_id:
        problems.append(Problem(number, "meta-instanceID", "missing_instance_id"))
    elif _hash(instance_id) in seen:
        problems.append(Problem(number, "meta-instanceID", "duplicate_in_file", instance_id))
    if _at(row, columns.review).lower() == "rejected":
        problems.append(Problem(number, "ReviewState", "rejected_in_review"))
    version = _at(row, columns.version)
    if version not in context.versions:
        problems.append(Problem(number, META_VERSION, "version_mismatch", version[:60]))
    region = _at(row, columns.region)
    if region not in context.allowed_regions:
        problems.append(Problem(number, META_REGION, "region_not_allowed", region[:60]))
    round_value = _at(row, columns.round)
    if round_value and round_value != str(context.round_number):
        problems.append(Problem(number, META_ROUND, "wrong_round", round_value[:60]))
    answers = {}
    for index, spec in columns.answers.items():
        value, problem = normalize(spec, _at(row, index))
        if problem:
            column = f"{spec.group}/{spec.name}"
            problems.append(Problem(number, column, problem, _at(row, index)[:60]))
        elif value:
            answers[(spec.group, spec.name)] = value
    if problems:
        for problem in problems:
            result.add(problem)
        return None
    seen.add(_hash(instance_id))
    return ParsedSubmission(
        row=number,
        instance_id=instance_id[:100],
        submitted_at=_at(row, columns.submitted)[:40],
        region=region,
        answers=answers,
    )
