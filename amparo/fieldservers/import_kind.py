"""Answers pulled from a field server, on the import pipeline: the same checks as an
uploaded export (``FieldAnswersImport``), but a submission the round already has is
updated when it was edited on the server, its tallies moved from the old answers to the
new ones."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from amparo.assessment.models import Assessment
from amparo.imports.checking import CheckReport
from amparo.imports.kinds import OnRow, WriteRefused
from amparo.imports.models import ImportJob
from amparo.questionnaires import submissions
from amparo.questionnaires.import_kind import (
    WRITE_BATCH,
    FieldAnswersImport,
    _add_tallies,
    import_allowed,
    import_context,
)
from amparo.questionnaires.models import Question, Submission
from amparo.tabular import Row

Tallies = dict[tuple[int, str], list[int]]


def _stored(parsed: submissions.ParsedSubmission) -> dict[str, str]:
    return {f"{g}/{n}": v for (g, n), v in parsed.answers.items()}


def _known(assessment: Assessment, instance_ids: list[str]) -> dict[str, tuple[int, dict]]:
    return {
        instance: (pk, answers)
        for pk, instance, answers in assessment.submissions.filter(
            instance_id__in=instance_ids
        ).values_list("pk", "instance_id", "answers")
    }


def _tally(tallies: Tallies, question: Question, value: str, sign: int) -> None:
    if question.kind in ("yes_no", "choice"):
        tallies[(question.pk, value)][0] += sign
    else:
        cell = tallies[(question.pk, "")]
        cell[0] += sign
        cell[1] += sign * (int(value) if question.kind == "integer" else 0)


class FieldSyncImport(FieldAnswersImport):
    name = "field_sync"
    not_allowed = _(
        "Only the region's coordinators and program admins import field answers; a sector "
        "focal point downloads their sector's form, and a coordinator imports the answers."
    )

    def check(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> CheckReport:
        """As an upload's check, but ``rows_already`` counts only unchanged submissions:
        an edited one will be written (updated)."""
        assessment = job.target
        pending: list[submissions.ParsedSubmission] = []
        already = 0

        def settle() -> None:
            nonlocal already
            known = _known(assessment, [p.instance_id for p in pending])
            already += sum(
                1
                for p in pending
                if p.instance_id in known and known[p.instance_id][1] == _stored(p)
            )
            pending.clear()

        def count(parsed: submissions.ParsedSubmission) -> None:
            pending.append(parsed)
            if len(pending) >= WRITE_BATCH:
                settle()

        report = submissions.parse_submissions(rows, import_context(assessment), count, on_row)
        settle()
        report.rows_already = already
        return report

    def write(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> int:
        """Write new submissions and update edited ones (returns how many of either)."""
        assessment = job.target
        questions = {
            (q.questionnaire.sector.code.lower(), q.name): q
            for q in Question.objects.select_related("questionnaire__sector")
        }
        by_key = {f"{g}/{n}": q for (g, n), q in questions.items()}
        tallies: Tallies = defaultdict(lambda: [0, 0])
        batch: list[submissions.ParsedSubmission] = []
        written = 0

        def flush() -> None:
            nonlocal written
            known = _known(assessment, [p.instance_id for p in batch])
            new, edited = [], []
            for parsed in batch:
                answers = _stored(parsed)
                if parsed.instance_id not in known:
                    new.append(parsed)
                elif known[parsed.instance_id][1] != answers:
                    pk, before = known[parsed.instance_id]
                    edited.append(Submission(pk=pk, answers=answers, job=job))
                    for key, value in before.items():
                        if key in by_key:
                            _tally(tallies, by_key[key], value, -1)
                    for key, value in parsed.answers.items():
                        _tally(tallies, questions[key], value, 1)
            Submission.objects.bulk_create(
                Submission(
                    assessment=assessment,
                    instance_id=p.instance_id,
                    submitted_at=p.submitted_at,
                    source=job.source,
                    job=job,
                    answers=_stored(p),
                )
                for p in new
            )
            Submission.objects.bulk_update(edited, ["answers", "job"])
            for parsed in new:
                for key, value in parsed.answers.items():
                    _tally(tallies, questions[key], value, 1)
            written += len(new) + len(edited)
            batch.clear()

        def collect(parsed: submissions.ParsedSubmission) -> None:
            batch.append(parsed)
            if len(batch) >= WRITE_BATCH:
                flush()

        report = submissions.parse_submissions(rows, import_context(assessment), collect, on_row)
        if report.fatal:
            raise WriteRefused("file_changed")
        if not import_allowed(Assessment.objects.select_for_update().get(pk=assessment.pk)):
            raise WriteRefused("round_completed")
        flush()
        _add_tallies(assessment, {k: v for k, v in tallies.items() if v != [0, 0]})
        return written


FIELD_SYNC = FieldSyncImport()
