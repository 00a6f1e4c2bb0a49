"""The import pipeline, the same for every kind: upload -> check (every problem by row,
nothing written) -> confirm -> write in one transaction -> file deleted. Checking and
writing run as background tasks (``tasks.py``); a file neither confirmed nor discarded is
deleted after a day (``import_files_prune``)."""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo import storage
from amparo.accounts import access
from amparo.accounts.models import User
from amparo.imports.checking import MAX_PROBLEMS, CheckReport
from amparo.imports.kinds import ImportKind, OnRow, WriteRefused, kind_of
from amparo.imports.models import ImportJob, JobStatus
from amparo.imports.uploads import UploadRefused, spreadsheet_format
from amparo.tabular import Row
from amparo.territory.models import Region

PROGRESS_EVERY = 5000  # rows between two progress reports
ABANDONED_AFTER = timedelta(days=1)  # an upload neither confirmed nor discarded by then
PRUNE_PER_UPLOAD = 20  # abandoned files an upload clears; the cron command clears the rest
logger = logging.getLogger(__name__)

RowSource = Callable[[], AbstractContextManager[Iterator[Row]]]


def _refuse_unless_allowed(kind: ImportKind, user: User | None, region: Region | None) -> None:
    if user is None or not access.may_import(user, kind.capability, region):
        raise ValidationError(kind.not_allowed, code="not_allowed")


def _refuse_if_closed(kind: ImportKind, region: Region | None, target: models.Model | None) -> None:
    refusal = kind.refusal(region=region, target=target)
    if refusal:
        raise ValidationError(refusal, code="closed")


@transaction.atomic
def import_job_create(
    *,
    kind: ImportKind,
    by: User,
    region: Region | None,
    target: models.Model | None = None,
    upload: UploadedFile,
) -> ImportJob:
    """Keep an uploaded CSV or XLSX file for checking. Refused: someone who may not import
    this kind into ``region``, an import the kind does not take now (a completed round),
    a file of another type (by extension and content) and one over
    ``AMPARO_MAX_IMPORT_MB``."""
    _refuse_unless_allowed(kind, by, region)
    _refuse_if_closed(kind, region, target)
    limit_mb = settings.AMPARO_MAX_IMPORT_MB
    try:
        file_format = spreadsheet_format(
            upload.name,
            upload.size,
            upload,
            max_bytes=limit_mb * 1024 * 1024,
            formats=kind.formats,
        )
    except UploadRefused as refused:
        message = {
            "bad_extension": kind.wrong_file,
            "too_big": _("The file is larger than %(mb)s MB.") % {"mb": limit_mb},
            "content_mismatch": _("The file's content does not match its type."),
        }[str(refused)]
        raise ValidationError({"file": message}) from None
    job = ImportJob(
        kind=kind.name,
        region=region,
        target=target,
        created_by=by,
        original_name=upload.name[-200:],
        file_format=file_format,
        size=upload.size,
    )
    try:
        job.file.save(f"{job.pk}", upload, save=False)
    except OSError as error:
        logger.error("storing upload %s failed: %s", job.pk, error.strerror)
        raise ValidationError({"file": storage.disk_message(error)}) from None
    job.save()
    # After the commit: a deleted file cannot be brought back if the upload is rolled back,
    # and a failed clean-up must not cost the person their upload. ``amparo prune-imports``
    # (cron) deletes whatever is left beyond the limit.
    transaction.on_commit(
        lambda: import_files_prune(older_than=ABANDONED_AFTER, limit=PRUNE_PER_UPLOAD),
        robust=True,
    )
    return job


def import_check(*, job: ImportJob) -> ImportJob:
    """Read and check every row without writing anything but the job's report. Never
    leaves the job reading: an unexpected error fails it with a reason (and is logged)."""
    return _check(job, lambda: kind_of(job).rows(job))


def _check(job: ImportJob, source: RowSource) -> ImportJob:
    kind = kind_of(job)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.READING)
    try:
        if not access.may_import(job.created_by, kind.capability, job.region):
            return _fail(job, "not_allowed")
        with source() as rows:
            report = kind.check(job, rows, _reading_progress(job))
    except Exception:
        logger.exception("checking import %s failed", job.pk)
        return _fail(job, "read_failed")
    _report_save(job, report)
    job.refresh_from_db()
    return job


def _reading_progress(job: ImportJob) -> OnRow:
    # Checking is not one transaction, so the count is seen by the page as it is saved.
    def on_row(done: int) -> None:
        if done and done % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(rows_done=done)

    return on_row


def _report_save(job: ImportJob, report: CheckReport) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED if report.fatal or not report.rows_valid else JobStatus.READY,
        source=report.source,
        rows_done=report.rows_read,
        rows_read=report.rows_read,
        rows_valid=report.rows_valid,
        rows_already=report.rows_already,
        problem_count=report.problem_count,
        problems=[[p.row, p.column, p.reason, p.value] for p in report.problems],
        unknown_columns=report.unknown_columns[:100],
    )


def fail_job(*, job: ImportJob, reason: str) -> ImportJob:
    """Mark a job failed with ``reason`` (e.g. ``worker_lost`` when its worker died)."""
    return _fail(job, reason)


def _fail(job: ImportJob, reason: str) -> ImportJob:
    """Mark the job as not importable, its reason first among the problems shown."""
    job.refresh_from_db()
    job.status, job.finished_at = JobStatus.FAILED, timezone.now()
    job.problems = [[0, "", reason, ""], *job.problems][:MAX_PROBLEMS]
    job.problem_count += 1
    job.save(update_fields=["status", "finished_at", "problems", "problem_count"])
    return job


@transaction.atomic
def import_confirm(
    *, job: ImportJob, by: User, keep_file: bool, confirmed_rows: Sequence[int] = ()
) -> ImportJob:
    """Accept a checked job for writing: only a ready one, confirmed by someone who may
    import it, into a target that still takes rows. ``confirmed_rows`` are rows the check
    warned about that the person wants imported all the same (likely duplicates)."""
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.status != JobStatus.READY:
        raise ValidationError(_("This file is not ready to be imported."))
    kind = kind_of(locked)
    _refuse_unless_allowed(kind, by, locked.region)
    _refuse_if_closed(kind, locked.region, locked.target)
    locked.status, locked.keep_file, locked.confirmed_by = JobStatus.WRITING, keep_file, by
    locked.confirmed_rows = sorted(set(confirmed_rows))
    locked.save(update_fields=["status", "keep_file", "confirmed_by", "confirmed_rows"])
    return locked


def import_write(*, job: ImportJob) -> ImportJob:
    """Write the confirmed job's rows in one transaction: either everything valid is
    written or nothing is. A failure is recorded on the job with its reason (and an
    unexpected one logged), never left half-written. A job that is not confirmed (or no
    longer: discarded meanwhile) is left as it is."""
    job.refresh_from_db()
    if job.status != JobStatus.WRITING:
        return job
    job = _write(job, lambda: kind_of(job).rows(job))
    if not job.keep_file:
        _forget_file(job)
    return job


def _write(job: ImportJob, source: RowSource, *, raise_unexpected: bool = False) -> ImportJob:
    kind = kind_of(job)
    try:
        with transaction.atomic():
            if not access.may_import(job.confirmed_by, kind.capability, job.region):
                raise WriteRefused("not_allowed")
            with source() as rows:
                written = kind.write(job, rows, lambda done: _writing_progress_save(job, done))
            ImportJob.objects.filter(pk=job.pk).update(
                status=JobStatus.DONE, rows_imported=written, finished_at=timezone.now()
            )
    except WriteRefused as refused:
        return _fail(job, refused.reason)
    except Exception:
        logger.exception("writing import %s failed", job.pk)
        failed = _fail(job, "write_failed")
        if raise_unexpected:
            raise
        return failed
    finally:
        _writing_progress_path(job).unlink(missing_ok=True)
    job.refresh_from_db()
    return job


def _writing_progress_path(job: ImportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / f"{job.pk}.progress"


def _writing_progress_save(job: ImportJob, done: int) -> None:
    # The write is one transaction, so a count kept in the job's row would stay invisible
    # to the page until the end; a small file beside the upload is seen at once.
    if not done or done % PROGRESS_EVERY:
        return
    path = _writing_progress_path(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(str(done))
    partial.replace(path)


def import_progress(job: ImportJob) -> int:
    """Rows handled so far: while reading, as the job records them; while writing, as the
    write step reports them outside its transaction."""
    if job.status != JobStatus.WRITING:
        return job.rows_done
    try:
        return int(_writing_progress_path(job).read_text())
    except (OSError, ValueError):
        return 0


def import_rows(
    *,
    kind: ImportKind,
    by: User,
    region: Region | None,
    target: models.Model | None = None,
    rows: Sequence[Row],
    name: str,
) -> ImportJob:
    """Import rows handed over whole, header first (an API request), at once and all or
    nothing: they are written in one transaction only when every row is valid; otherwise
    nothing is, and the job keeps the problems (it is then discarded, or failed when
    nothing was valid). Recorded as a job without a file, like every import. An unexpected
    error while writing fails the job and is raised."""
    _refuse_unless_allowed(kind, by, region)
    _refuse_if_closed(kind, region, target)
    job = ImportJob.objects.create(
        kind=kind.name, region=region, target=target, created_by=by, original_name=name[:200]
    )

    def source() -> AbstractContextManager[Iterator[Row]]:
        return nullcontext(iter(rows))

    job = _check(job, source)
    if job.status != JobStatus.READY:
        return job
    if job.problem_count:
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DISCARDED, finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    import_confirm(job=job, by=by, keep_file=False)
    job.refresh_from_db()
    return _write(job, source, raise_unexpected=True)


def import_pulled(
    *,
    kind: ImportKind,
    by: User,
    region: Region,
    target: models.Model | None,
    rows: Sequence[Row],
    name: str,
    confirm_first: bool,
) -> ImportJob:
    """Import rows pulled from a server (a page of submissions, header first), checked as
    a file would be. Rows with problems are held on the job with their reasons, never
    written; the valid ones are written at once in one transaction, or, with
    ``confirm_first``, kept as the job's CSV file until someone confirms the job as an
    upload (kept from pruning until then). An unexpected error while writing fails the
    job and is raised."""
    _refuse_unless_allowed(kind, by, region)
    _refuse_if_closed(kind, region, target)
    job = ImportJob(
        kind=kind.name, region=region, target=target, created_by=by, original_name=name[:200]
    )
    if confirm_first:
        content = _csv_bytes(rows)
        job.file_format, job.size, job.keep_file = "csv", len(content), True
        job.file.save(f"{job.pk}", ContentFile(content), save=False)
    job.save()

    def source() -> AbstractContextManager[Iterator[Row]]:
        return nullcontext(iter(rows))

    job = _check(job, source)
    if job.status != JobStatus.READY:
        return job
    if not job.to_import:  # every valid row was brought in before: nothing to confirm
        _forget_file(job)
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, rows_imported=0, finished_at=timezone.now(), keep_file=False
        )
        job.refresh_from_db()
        return job
    if confirm_first:
        return job
    import_confirm(job=job, by=by, keep_file=False)
    job.refresh_from_db()
    return _write(job, source, raise_unexpected=True)


def _csv_bytes(rows: Sequence[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def _forget_file(job: ImportJob) -> None:
    if job.file:
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def import_discard(*, job: ImportJob) -> None:
    """Drop a job that was checked but not imported, and its file."""
    if job.status not in (JobStatus.READY, JobStatus.FAILED):
        raise ValidationError(_("Only a file that was checked and not imported can be discarded."))
    _forget_file(job)
    ImportJob.objects.filter(pk=job.pk).update(status=JobStatus.DISCARDED)


@transaction.atomic
def import_files_prune(*, older_than: timedelta, limit: int | None = None) -> int:
    """Delete the files of uploads of every kind checked but never confirmed nor discarded
    (ready or failed for longer than ``older_than``, and not kept on request), the oldest
    first and at most ``limit`` of them (all without one); a ready one becomes discarded.
    Returns how many files were deleted."""
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


def storage_path(job: ImportJob) -> Path | None:
    return Path(job.file.path) if job.file else None
