"""Submissions as the servers' JSON APIs give them, turned into the rows of the exports
that the field-answer checks read (``amparo.questionnaires.submissions``). Pure Python.

KoboToolbox (``/api/v2/assets/<uid>/data/``) already names answers ``group/question``.
ODK Central's OData nests groups (``{"tur": {"q": ...}}``) and keeps its own fields under
``__system``: they become the columns of its CSV export (``tur-q``, ``SubmissionDate``,
``ReviewState``, ``KEY``).

A submission keeps one key across edits, so that an edit updates what was imported: ODK
Central's ``__id`` (the first instance ID), KoboToolbox's ``meta/rootUuid`` (or its
instance ID when the form has none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

KEY_COLUMN = "meta/instanceID"
ODK_KEY_COLUMN = "meta-instanceID"


@dataclass(frozen=True)
class PageRows:
    rows: list[list[str]]  # header first; only the header when nothing is left
    skipped: int  # rejected in review on the server
    cursor: str  # the latest submission or edit time in the page ("" when none)
    at_cursor: frozenset[str] = frozenset()  # the keys of the submissions at that time


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return ""  # repeats, attachments, geodata: not questions amparo asks
    return str(value)


def _flatten(prefix: str, value: object, into: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(f"{prefix}-{key}" if prefix else key, inner, into)
    else:
        into[prefix] = _text(value)


def odk_record(submission: dict[str, object]) -> dict[str, str]:
    """One OData submission as a row of the CSV export, by column."""
    system = submission.get("__system") or {}
    if not isinstance(system, dict):
        system = {}
    record: dict[str, str] = {}
    for key, value in submission.items():
        if key in ("__system", "__id") or "@odata" in key:
            continue  # links to repeats and attachments, not answers
        _flatten(key, value, record)
    record["SubmissionDate"] = _text(system.get("submissionDate"))
    record["ReviewState"] = _text(system.get("reviewState"))
    record["FormVersion"] = _text(system.get("formVersion"))
    record["KEY"] = _text(submission.get("__id"))
    record[ODK_KEY_COLUMN] = record["KEY"].removeprefix("uuid:") or record.get(ODK_KEY_COLUMN, "")
    return record


def kobo_record(submission: dict[str, object]) -> dict[str, str]:
    record = {key: _text(value) for key, value in submission.items()}
    key = record.get("meta/rootUuid") or record.get(KEY_COLUMN) or record.get("_uuid", "")
    record[KEY_COLUMN] = key.removeprefix("uuid:")
    record["_uuid"] = record[KEY_COLUMN]
    return record


def _changed_at(kind: str, submission: dict[str, object]) -> str:
    if kind == "odk":
        system = submission.get("__system") or {}
        times = (
            [system.get("submissionDate"), system.get("updatedAt")]
            if isinstance(system, dict)
            else []
        )
    else:
        times = [submission.get("_submission_time"), submission.get("_last_edited")]
    return max((str(t) for t in times if t), default="")


def page_rows(
    kind: str,
    submissions: Iterable[dict[str, object]],
    *,
    seen_at: str = "",
    seen: frozenset[str] = frozenset(),
) -> PageRows:
    """A page of submissions as rows, header first, in the columns of ``kind``'s export
    (``kobo`` | ``odk``). Submissions rejected in review are left out and counted; those
    of time ``seen_at`` whose key is in ``seen`` (read by an earlier pull at its cursor)
    are left out silently."""
    records: list[dict[str, str]] = []
    skipped, cursor, at_cursor = 0, "", set()
    for submission in submissions:
        if not isinstance(submission, dict):
            raise ValueError("a submission is not an object")
        record = odk_record(submission) if kind == "odk" else kobo_record(submission)
        key = record[ODK_KEY_COLUMN if kind == "odk" else KEY_COLUMN]
        changed = _changed_at(kind, submission)
        if changed > cursor:
            cursor, at_cursor = changed, {key}
        elif changed == cursor:
            at_cursor.add(key)
        if seen_at and changed == seen_at and key in seen:
            continue
        if kind == "odk" and record["ReviewState"] == "rejected":
            skipped += 1
            continue
        records.append(record)
    header: dict[str, None] = {}
    for record in records:
        header.update(dict.fromkeys(record))
    columns = list(header)
    return PageRows(
        rows=[columns, *([record.get(c, "") for c in columns] for record in records)],
        skipped=skipped,
        cursor=cursor,
        at_cursor=frozenset(at_cursor),
    )
