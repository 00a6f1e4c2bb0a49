"""Field answers on the import pipeline: the CSV / XLSX exports of KoboToolbox and ODK
Central into an assessment round. Rows are streamed (``submissions.py``), written in
batches and tallied per question."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from django.db.models import F, Model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amparo.assessment.models import Assessment, RoundStatus
from amparo.imports.checking import CheckReport
from amparo.imports.kinds import ImportKind, OnRow, WriteRefused
from amparo.imports.models import ImportJob
from amparo.questionnaires import submissions, xlsform
from amparo.questionnaires.form_export import form_groups, questionnaires_of
from amparo.questionnaires.models import AnswerTally, Question, Submission
from amparo.tabular import Row
from amparo.territory.models import Region, Sector

WRITE_BATCH = 2000


def import_allowed(assessment: Assessment) -> bool:
    """Whether field answers may still come into the round: a completed round is kept as
    it was completed, like its findings."""
    return assessment.status != RoundStatus.COMPLETED


def import_context(assessment: Assessment) -> submissions.ImportContext:
    """What a file for ``assessment`` may contain: every sector's questions, the versions of
    the single-sector forms and of the all-sectors form, rows of the round's region."""
    # The region's country only, as the export does: another country's pack would change
    # the all-sectors form's version.
    questionnaires = questionnaires_of(
        list(Sector.objects.filter(country=assessment.region.country))
    )
    groups = form_groups(questionnaires)
    fields = tuple(
        submissions.FieldSpec(
            group=q.sector.code.lower(),
            name=question.name,
            kind=question.kind,
            choices=frozenset(c["name"] for c in question.choices),
            required=question.required,
        )
        for q in questionnaires
        for question in q.questions.all()
    )
    versions = {xlsform.questions_version(groups)} | {
        xlsform.questions_version([g]) for g in groups
    }
    return submissions.ImportContext(
        fields=fields,
        versions=frozenset(versions),
        round_number=assessment.number,
        allowed_regions=frozenset({assessment.region.code}),
    )


def _already_imported(assessment: Assessment, instance_ids: list[str]) -> set[str]:
    """Which of a batch of instance IDs the round already has: asked batch by batch so that
    memory does not grow with the file."""
    return set(
        assessment.submissions.filter(instance_id__in=instance_ids).values_list(
            "instance_id", flat=True
        )
    )


def _add_tallies(assessment: Assessment, tallies: dict[tuple[int, str], list[int]]) -> None:
    current = {
        (t.question_id, t.value): t for t in AnswerTally.objects.filter(assessment=assessment)
    }
    for (question_id, value), (count, total) in tallies.items():
        if (question_id, value) in current:
            AnswerTally.objects.filter(pk=current[(question_id, value)].pk).update(
                count=F("count") + count, total=F("total") + total
            )
        else:
            AnswerTally.objects.create(
                assessment=assessment,
                question_id=question_id,
                value=value,
                count=count,
                total=total,
            )


class FieldAnswersImport(ImportKind):
    """Submissions of a round, keyed by their instance ID so that a file imported again
    adds nothing. Imported by the region's coordinators and program admins: a file holds
    answers for every sector's questions and feeds the whole round's tallies, so a sector
    focal point exports their sector's form and a coordinator imports what comes back."""

    name = "field_answers"
    not_allowed = _(
        "Only the region's coordinators and program admins import field answers; a sector "
        "focal point downloads their sector's form, and a coordinator imports the answers."
    )
    wrong_file = _("Upload the CSV or XLSX export of KoboToolbox or ODK Central.")
    reasons_template = "questionnaires/_reason.html"

    def refusal(self, *, region: Region | None, target: Model | None) -> str | None:
        if isinstance(target, Assessment) and not import_allowed(target):
            return gettext("This round is completed; start a new round to import field answers.")
        return None

    def check(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> CheckReport:
        assessment = job.target
        pending: list[str] = []
        already = 0

        def count(parsed: submissions.ParsedSubmission) -> None:
            nonlocal already
            pending.append(parsed.instance_id)
            if len(pending) >= WRITE_BATCH:
                already += len(_already_imported(assessment, pending))
                pending.clear()

        report = submissions.parse_submissions(rows, import_context(assessment), count, on_row)
        report.rows_already = already + len(_already_imported(assessment, pending))
        return report

    def write(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> int:
        """Write every valid submission the round does not have yet, in batches, and add
        them to the tallies."""
        assessment = job.target
        questions = {
            (q.questionnaire.sector.code.lower(), q.name): q
            for q in Question.objects.select_related("questionnaire__sector")
        }
        tallies: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
        batch: list[submissions.ParsedSubmission] = []
        imported = 0

        def flush() -> None:
            nonlocal imported
            known = _already_imported(assessment, [p.instance_id for p in batch])
            new = [p for p in batch if p.instance_id not in known]
            Submission.objects.bulk_create(
                Submission(
                    assessment=assessment,
                    instance_id=p.instance_id,
                    submitted_at=p.submitted_at,
                    source=job.source,
                    job=job,
                    answers={f"{g}/{n}": v for (g, n), v in p.answers.items()},
                )
                for p in new
            )
            for parsed in new:
                for key, value in parsed.answers.items():
                    question = questions[key]
                    if question.kind in ("yes_no", "choice"):
                        tallies[(question.pk, value)][0] += 1
                    else:
                        cell = tallies[(question.pk, "")]
                        cell[0] += 1
                        cell[1] += int(value) if question.kind == "integer" else 0
            imported += len(new)
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
        _add_tallies(assessment, tallies)
        return imported


FIELD_ANSWERS = FieldAnswersImport()
