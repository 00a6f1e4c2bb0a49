"""Read field submissions exported by KoboToolbox (XLSX or CSV, group separator ``/``) or
ODK Central (CSV, separator ``-``). Pure functions over rows; no Django import.

Rows are streamed: the parser keeps counts, the problems (capped) and a compact set of
instance-ID hashes to spot duplicates, never the rows themselves. Valid rows are handed to
a callback so the caller can count them (preview) or write them (import).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from amparo.imports.checking import CheckReport, Problem, body_rows, header_row
from amparo.questionnaires.xlsform import META_REGION, META_ROUND, META_VERSION
from amparo.tabular import Row

MAX_TEXT = 500
MAX_INTEGER = 2**31 - 1  # ODK Collect's largest integer answer

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
class ParsedSubmission:
    row: int
    instance_id: str
    submitted_at: str
    region: str
    answers: dict[tuple[str, str], str]  # (group, name) -> normalized value


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
    rows: Iterator[Row],
    context: ImportContext,
    on_valid: Callable[[ParsedSubmission], None],
    on_row: Callable[[int], None] | None = None,
) -> CheckReport:
    """Check every row against the questionnaire and the context; hand valid rows to
    ``on_valid``. Never raises for bad content: every problem is reported with its row.
    ``on_row`` hears how many rows were handled so far (progress)."""
    result = CheckReport()
    header = header_row(rows, result)
    if header is None:
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
            result.refuse(Problem(1, needed, "missing_column"))
    if result.fatal:
        return result
    if not columns.answers:
        result.refuse(Problem(1, "", "no_known_questions"))
        return result
    seen: set[int] = set()
    for number, row in body_rows(rows, result, on_row):
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
    result: CheckReport,
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
