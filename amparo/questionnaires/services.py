"""Questionnaires: the catalog, XLSForm export, and the two-step import (read and check,
then write on confirmation in one transaction)."""

from __future__ import annotations

import io
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.assessment.models import Assessment, RoundStatus, Threat
from amparo.catalog import read_pack_file
from amparo.catalog.apply import CatalogKind, catalog_entries_apply
from amparo.catalog.sync import LoadCount
from amparo.questionnaires import submissions, xlsform
from amparo.questionnaires.models import (
    AnswerTally,
    ImportJob,
    JobStatus,
    Question,
    Questionnaire,
    Submission,
)
from amparo.territory.models import Region, Sector

WRITE_BATCH = 2000
PROGRESS_EVERY = 5000  # rows between two progress reports
ABANDONED_AFTER = timedelta(days=1)  # an upload neither confirmed nor discarded by then
PRUNE_PER_UPLOAD = 20  # abandoned files an upload clears; the cron command clears the rest
logger = logging.getLogger(__name__)


def _catalog_question(entry: dict, threats: dict[str, Threat]) -> dict[str, object]:
    return {
        "kind": entry["kind"],
        "label_es": entry["label_es"],
        "label_en": entry["label_en"],
        "hint_es": entry.get("hint_es", ""),
        "hint_en": entry.get("hint_en", ""),
        "required": entry.get("required", False),
        "threat": threats.get(entry.get("threat") or ""),
        "rates": entry.get("rates") or "",
        "choices": entry.get("choices", []),
    }


@transaction.atomic
def questionnaires_catalog_load(*, pack: str, count: LoadCount) -> None:
    """Load the pack's questionnaires by code, by the catalog's rules
    (``amparo/catalog/sync.py``): questionnaires users edited or created are never
    overwritten, and are listed in ``count`` once per catalog change. Questions the catalog
    no longer has are left in place, since past rounds' answers refer to them."""
    sectors = {s.code: s for s in Sector.objects.all()}
    threats = {t.code: t for t in Threat.objects.all()}

    def create(entry: dict, **catalog: object) -> Questionnaire:
        questionnaire = Questionnaire.objects.create(
            code=entry["code"],
            sector=sectors[entry["sector"]],
            title_es=entry["title_es"],
            title_en=entry["title_en"],
            **catalog,
        )
        for order, q in enumerate(entry["questions"], start=1):
            Question.objects.create(
                questionnaire=questionnaire,
                order=order,
                name=q["name"],
                **_catalog_question(q, threats),
            )
        return questionnaire

    catalog_entries_apply(
        kind=CatalogKind(
            name="questionnaires",
            create=create,
            differs=lambda q, e: _catalog_update(q, e, threats, apply=False),
            update=lambda q, e: _catalog_update(q, e, threats, apply=True),
        ),
        entries=read_pack_file(pack, "questionnaires")["questionnaires"],
        rows={q.code: q for q in Questionnaire.objects.all()},
        count=count,
    )


def _catalog_update(
    questionnaire: Questionnaire, entry: dict, threats: dict[str, Threat], *, apply: bool
) -> bool:
    """Whether ``questionnaire`` differs from the catalog's ``entry``; with ``apply``, make
    it as the catalog says (its questions by name, in the catalog's order)."""
    differs = False
    titles = {"title_es": entry["title_es"], "title_en": entry["title_en"]}
    changed_titles = [k for k, v in titles.items() if getattr(questionnaire, k) != v]
    if changed_titles:
        differs = True
        if apply:
            for name in changed_titles:
                setattr(questionnaire, name, titles[name])
            questionnaire.save(update_fields=changed_titles)
    current = {q.name: q for q in questionnaire.questions.select_related("threat")}
    for order, q in enumerate(entry["questions"], start=1):
        values = {"order": order, **_catalog_question(q, threats)}
        question = current.get(q["name"])
        if question is None:
            differs = True
            if apply:
                Question.objects.create(questionnaire=questionnaire, name=q["name"], **values)
            continue
        changed = [k for k, v in values.items() if getattr(question, k) != v]
        if changed:
            differs = True
            if apply:
                for name in changed:
                    setattr(question, name, values[name])
                question.save(update_fields=changed)
    return differs


LABELS = ("label_es", "label_en")


def question_choices_check(*, kind: str, choices: object) -> None:
    """Refuse choices a form cannot be built from: a list of options, each with a field
    name, both labels and a rating from 1 to 5 or none (an option such as "don't know"
    suggests nothing). Yes/no and choice questions need two options at least."""
    if not isinstance(choices, list) or not all(isinstance(c, dict) for c in choices):
        raise ValidationError(_("Choices are a list of options."))
    names = [c.get("name") for c in choices]
    for choice in choices:
        name, rating = choice.get("name"), choice.get("rating")
        if not isinstance(name, str) or not name.isidentifier():
            raise ValidationError(
                _("Each option needs a field name of letters, digits and underscores.")
            )
        if not all(isinstance(choice.get(k), str) and choice[k].strip() for k in LABELS):
            raise ValidationError(_("Each option needs a label in Spanish and in English."))
        if rating is not None and (type(rating) is not int or not 1 <= rating <= 5):
            raise ValidationError(_("An option's rating is a whole number from 1 to 5, or null."))
    if len(set(names)) != len(names):
        raise ValidationError(_("Two options have the same field name."))
    if kind in ("yes_no", "choice") and len(choices) < 2:
        raise ValidationError(_("A yes/no or choice question needs two options at least."))


@transaction.atomic
def questionnaire_mark_edited(*, questionnaire: Questionnaire) -> None:
    """Record that users changed a questionnaire (or one of its questions), so that a
    catalog update keeps their version and reports it instead."""
    Questionnaire.objects.filter(pk=questionnaire.pk).update(edited=True)
    questionnaire.edited = True


# --- forms -------------------------------------------------------------------------------


def _groups(questionnaires: list[Questionnaire]) -> tuple[xlsform.GroupSpec, ...]:
    return tuple(
        xlsform.GroupSpec(
            name=q.sector.code.lower(),
            label_es=q.title_es,
            label_en=q.title_en,
            questions=tuple(
                xlsform.QuestionSpec(
                    name=question.name,
                    kind=question.kind,
                    label_es=question.label_es,
                    label_en=question.label_en,
                    hint_es=question.hint_es,
                    hint_en=question.hint_en,
                    required=question.required,
                    choices=tuple(
                        xlsform.ChoiceSpec(c["name"], c["label_es"], c["label_en"])
                        for c in question.choices
                    ),
                )
                for question in q.questions.all()
            ),
        )
        for q in questionnaires
    )


def _questionnaires(sectors: list[Sector]) -> list[Questionnaire]:
    return list(
        Questionnaire.objects.filter(sector__in=sectors)
        .select_related("sector")
        .prefetch_related("questions")
        .order_by("sector__code")
    )


def form_spec(*, sectors: list[Sector], assessment: Assessment | None) -> xlsform.FormSpec:
    """The XLSForm of ``sectors`` (one sector, or all of them in one form). With a round,
    its region and number travel as hidden fields; without, the interviewer picks the
    region and the round is chosen at import."""
    questionnaires = _questionnaires(sectors)
    if not questionnaires:
        raise ValidationError(_("There is no questionnaire for these sectors."))
    scope = questionnaires[0].sector.code.lower() if len(questionnaires) == 1 else "all"
    title = (
        questionnaires[0].title_es if len(questionnaires) == 1 else "amparo · todos los sectores"
    )
    return xlsform.FormSpec(
        form_id=f"amparo_{scope}",
        title=title,
        groups=_groups(questionnaires),
        region_code=assessment.region.code if assessment else None,
        round_number=assessment.number if assessment else None,
        regions=tuple(Region.objects.values_list("code", "name")),
    )


def xlsform_bytes(spec: xlsform.FormSpec) -> bytes:
    """The .xlsx file, checked by pyxform (the ODK reference converter) before it is
    offered: a questionnaire edited into an invalid form is refused here, not in the field."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    buffer = io.BytesIO()
    xlsform.write_xlsx(xlsform.build_sheets(spec), buffer)
    content = buffer.getvalue()
    warnings: list[str] = []
    try:
        convert(xlsform=io.BytesIO(content), warnings=warnings, file_type=".xlsx")
    except PyXFormError as error:
        raise ValidationError(
            _("The questionnaire is not a valid form: %(error)s") % {"error": error}
        ) from None
    if warnings:
        raise ValidationError(
            _("The questionnaire is not a valid form: %(error)s") % {"error": "; ".join(warnings)}
        )
    return content


def import_context(assessment: Assessment, allowed_regions: set[str]) -> submissions.ImportContext:
    """What a file for ``assessment`` may contain: every sector's questions, the versions of
    the single-sector forms and of the all-sectors form."""
    # The region's country only, as the export does: another country's pack would change
    # the all-sectors form's version.
    questionnaires = _questionnaires(list(Sector.objects.filter(country=assessment.region.country)))
    groups = _groups(questionnaires)
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
        allowed_regions=frozenset(allowed_regions),
    )


# --- imports -----------------------------------------------------------------------------

ACCEPTED_IMPORTS = {"csv": b"", "xlsx": b"PK\x03\x04"}


def import_allowed(assessment: Assessment) -> bool:
    """Whether field answers may still come into the round: a completed round is kept as
    it was completed, like its findings."""
    return assessment.status != RoundStatus.COMPLETED


def _require_import_allowed(assessment: Assessment) -> None:
    if not import_allowed(assessment):
        raise ValidationError(
            _("This round is completed; start a new round to import field answers.")
        )


@transaction.atomic
def import_job_create(*, assessment: Assessment, by: User, upload: UploadedFile) -> ImportJob:
    """Keep an uploaded CSV or XLSX export for checking; refuse other files and large ones,
    and any file for a completed round."""
    _require_import_allowed(assessment)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    limit = settings.AMPARO_MAX_IMPORT_MB * 1024 * 1024
    if extension not in ACCEPTED_IMPORTS:
        raise ValidationError(
            {"file": _("Upload the CSV or XLSX export of KoboToolbox or ODK Central.")}
        )
    if upload.size > limit:
        raise ValidationError(
            {
                "file": _("The file is larger than %(mb)s MB.")
                % {"mb": settings.AMPARO_MAX_IMPORT_MB}
            }
        )
    head = upload.read(4)
    upload.seek(0)
    if not head.startswith(ACCEPTED_IMPORTS[extension]) or (
        extension == "csv" and head.startswith(b"PK")
    ):
        raise ValidationError({"file": _("The file's content does not match its type.")})
    job = ImportJob(
        assessment=assessment,
        created_by=by,
        original_name=upload.name[-200:],
        file_format=extension,
        size=upload.size,
    )
    job.file.save(f"{job.pk}", upload, save=False)
    job.save()
    # After the commit: a deleted file cannot be brought back if the upload is rolled back,
    # and a failed clean-up must not cost the person their upload. ``amparo prune-imports``
    # (cron) deletes whatever is left beyond the limit.
    transaction.on_commit(
        lambda: import_files_prune(older_than=ABANDONED_AFTER, limit=PRUNE_PER_UPLOAD),
        robust=True,
    )
    return job


@transaction.atomic
def import_files_prune(*, older_than: timedelta, limit: int | None = None) -> int:
    """Delete the files of uploads checked but never confirmed nor discarded (ready or
    failed for longer than ``older_than``, and not kept on request), the oldest first and at
    most ``limit`` of them (all without one); a ready one becomes discarded. Returns how many
    files were deleted."""
    candidates = (
        ImportJob.objects.select_for_update(skip_locked=True)  # one being confirmed now
        .filter(
            status__in=[JobStatus.READY, JobStatus.FAILED],
            created_at__lt=timezone.now() - older_than,
            keep_file=False,
        )
        .exclude(file="")
        .order_by("created_at", "pk")
    )
    abandoned = list(candidates if limit is None else candidates[:limit])
    for job in abandoned:
        _forget_file(job)
    ImportJob.objects.filter(
        pk__in=[job.pk for job in abandoned if job.status == JobStatus.READY]
    ).update(status=JobStatus.DISCARDED)
    return len(abandoned)


def _rows(job: ImportJob):
    stream = job.file.open("rb")
    reader = submissions.xlsx_rows if job.file_format == "xlsx" else submissions.csv_rows
    return stream, reader(stream)


def _allowed_regions(job: ImportJob) -> set[str]:
    from amparo.accounts import access

    region = job.assessment.region
    user = job.created_by
    if user is not None and access.can(user, access.Capability.CHANGE_REGION, region):
        return {region.code}
    return set()


def import_read(*, job: ImportJob) -> ImportJob:
    """Read and check the whole file without writing anything but the job's report. Never
    leaves the job reading: an unexpected error fails it with a reason (and is logged)."""
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.READING)
    try:
        return _read(job)
    except Exception:
        logger.exception("reading import %s failed", job.pk)
        return _fail(job, "read_failed")


def _fail(job: ImportJob, reason: str) -> ImportJob:
    """Mark the job as not importable, its reason first among the problems shown."""
    job.refresh_from_db()
    job.status, job.finished_at = JobStatus.FAILED, timezone.now()
    job.problems = [[0, "", reason, ""], *job.problems][: submissions.MAX_PROBLEMS]
    job.problem_count += 1
    job.save(update_fields=["status", "finished_at", "problems", "problem_count"])
    return job


def _read(job: ImportJob) -> ImportJob:
    context = import_context(job.assessment, _allowed_regions(job))
    pending: list[str] = []
    already = 0

    def count(parsed: submissions.ParsedSubmission) -> None:
        nonlocal already
        pending.append(parsed.instance_id)
        if len(pending) >= WRITE_BATCH:
            already += len(_already_imported(job.assessment, pending))
            pending.clear()

    stream, rows = _rows(job)
    try:
        result = submissions.parse_submissions(
            rows,
            context,
            count,
            on_progress=lambda n: ImportJob.objects.filter(pk=job.pk).update(rows_done=n),
            progress_every=PROGRESS_EVERY,
        )
    finally:
        stream.close()
    already += len(_already_imported(job.assessment, pending))
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED if result.fatal or not result.rows_valid else JobStatus.READY,
        source=result.source,
        rows_done=result.rows_read,
        rows_read=result.rows_read,
        rows_valid=result.rows_valid,
        rows_already=already,
        problem_count=result.problem_count,
        problems=[[p.row, p.column, p.reason, p.value] for p in result.problems],
        unknown_columns=result.unknown_columns[:100],
    )
    job.refresh_from_db()
    return job


def _already_imported(assessment: Assessment, instance_ids: list[str]) -> set[str]:
    """Which of a batch of instance IDs the round already has: asked batch by batch so that
    memory does not grow with the file."""
    return set(
        assessment.submissions.filter(instance_id__in=instance_ids).values_list(
            "instance_id", flat=True
        )
    )


@transaction.atomic
def import_confirm(*, job: ImportJob, keep_file: bool) -> ImportJob:
    """Accept a checked file for writing; only a ready job of a round still open."""
    locked = ImportJob.objects.select_for_update().select_related("assessment").get(pk=job.pk)
    if locked.status != JobStatus.READY:
        raise ValidationError(_("This file is not ready to be imported."))
    _require_import_allowed(locked.assessment)
    locked.status, locked.keep_file = JobStatus.WRITING, keep_file
    locked.save(update_fields=["status", "keep_file"])
    return locked


class RoundCompleted(Exception):
    """The round was completed between the confirmation and the write."""


def import_write(*, job: ImportJob) -> ImportJob:
    """Write every valid, not yet imported submission and update the tallies, all in one
    transaction: either everything valid is imported or nothing is. A failure is recorded
    on the job with its reason (and logged), never left half-written."""
    context = import_context(job.assessment, _allowed_regions(job))
    questions = {
        (q.questionnaire.sector.code.lower(), q.name): q
        for q in Question.objects.select_related("questionnaire__sector")
    }
    tallies: dict[tuple[int, str], list[int]] = defaultdict(lambda: [0, 0])
    batch: list[submissions.ParsedSubmission] = []
    imported = 0

    def flush() -> None:
        nonlocal imported
        known = _already_imported(job.assessment, [p.instance_id for p in batch])
        new = [p for p in batch if p.instance_id not in known]
        Submission.objects.bulk_create(
            Submission(
                assessment=job.assessment,
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

    try:
        with transaction.atomic():
            stream, rows = _rows(job)
            try:
                result = submissions.parse_submissions(
                    rows,
                    context,
                    collect,
                    on_progress=lambda n: _write_progress_save(job, n),
                    progress_every=PROGRESS_EVERY,
                )
            finally:
                stream.close()
            if result.fatal:
                raise ValidationError(_("The file changed since it was checked."))
            locked = Assessment.objects.select_for_update().get(pk=job.assessment_id)
            if not import_allowed(locked):
                raise RoundCompleted
            flush()
            _add_tallies(job.assessment, tallies)
            ImportJob.objects.filter(pk=job.pk).update(
                status=JobStatus.DONE, rows_imported=imported, finished_at=timezone.now()
            )
    except RoundCompleted:
        return _fail(job, "round_completed")
    except ValidationError:
        return _fail(job, "file_changed")
    except Exception:
        logger.exception("writing import %s failed", job.pk)
        return _fail(job, "write_failed")
    finally:
        _write_progress_path(job).unlink(missing_ok=True)
    job.refresh_from_db()
    if not job.keep_file:
        _forget_file(job)
    return job


def _write_progress_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / f"{job.pk}.progress"


def _write_progress_save(job: ImportJob, rows: int) -> None:
    # The write is one transaction, so a count kept in the job's row would stay invisible
    # to the page until the end; a small file beside the upload is seen at once.
    path = _write_progress_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(str(rows))
    partial.replace(path)


def import_progress(job: ImportJob) -> int:
    """Rows handled so far: while reading, as the job records them; while writing, as the
    write step reports them outside its transaction."""
    if job.status != JobStatus.WRITING:
        return job.rows_done
    try:
        return int(_write_progress_path(job).read_text())
    except (OSError, ValueError):
        return 0


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


def _forget_file(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def import_discard(*, job: ImportJob) -> None:
    """Drop a file that was checked but not imported."""
    _forget_file(job)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DISCARDED)


# --- suggestions -------------------------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    likelihood: int | None
    impact: int | None
    answers: int


def rating_suggestion(assessment: Assessment, threat: Threat) -> Suggestion:
    """The ratings the round's field answers suggest for ``threat``: the answer-weighted
    mean of the ratings of the chosen options, rounded, per dimension."""
    sums = {"likelihood": [0, 0], "impact": [0, 0]}
    answers = 0
    for tally in AnswerTally.objects.filter(
        assessment=assessment, question__threat=threat
    ).select_related("question"):
        question = tally.question
        rating = next((c.get("rating") for c in question.choices if c["name"] == tally.value), None)
        if question.rates in sums and rating:
            sums[question.rates][0] += rating * tally.count
            sums[question.rates][1] += tally.count
            answers += tally.count

    def mean(dimension: str) -> int | None:
        total, n = sums[dimension]
        return round(total / n) if n else None

    return Suggestion(mean("likelihood"), mean("impact"), answers)


def storage_path(job: ImportJob) -> Path | None:
    return Path(job.file.path) if job.file else None
