"""Import jobs: rows brought into amparo in two steps, whatever they are (field answers,
indicator values, ...). Each job's ``kind`` names the importer that reads and writes its
rows (``amparo/imports/kinds.py``)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.territory.models import Region


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    READING = "reading", _("Reading the file")
    READY = "ready", _("Ready to import")
    WRITING = "writing", _("Importing")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Cannot be imported")
    DISCARDED = "discarded", _("Discarded")


RUNNING = (JobStatus.QUEUED, JobStatus.READING, JobStatus.WRITING)


def upload_path(instance: ImportJob, filename: str) -> str:
    return f"imports/{instance.pk}"


class ImportJob(models.Model):
    """One import: its rows read and checked first (the preview, with every problem by row),
    written only when someone confirms, in one transaction. Rows come from the uploaded
    ``file``, or from the kind itself for a kind that has none. The file is deleted
    afterwards unless the person asked to keep it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=30)  # the name of a registered ImportKind
    # The region the rows go into, on which access is judged; empty when they may go to
    # several (an API request: each row names its region).
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # What inside the region the rows belong to, when the kind has such a thing (the
    # assessment round of field answers).
    target_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    file = models.FileField(upload_to=upload_path, blank=True, max_length=200)
    original_name = models.CharField(max_length=200)
    file_format = models.CharField(max_length=10, blank=True)  # csv | xlsx; empty: no file
    size = models.PositiveBigIntegerField(default=0)
    keep_file = models.BooleanField(_("keep the file after the import"), default=False)
    # Rows the person confirmed at confirmation although the check warned about them (a
    # likely duplicate), for kinds that ask.
    confirmed_rows = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    source = models.CharField(max_length=10, blank=True)  # as the kind tells: kobo | odk
    rows_done = models.PositiveIntegerField(default=0)  # progress while reading
    rows_read = models.PositiveIntegerField(default=0)
    rows_valid = models.PositiveIntegerField(default=0)
    rows_already = models.PositiveIntegerField(default=0)  # imported before
    rows_imported = models.PositiveIntegerField(default=0)
    problem_count = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list)  # the first problems: [row, column, reason, value]
    unknown_columns = models.JSONField(default=list)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="import_job_target"),
            models.Index(fields=["kind", "region"], name="import_job_kind_region"),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def running(self) -> bool:
        return self.status in RUNNING

    @property
    def to_import(self) -> int:
        """Valid rows not imported before: what confirming would write."""
        return max(self.rows_valid - self.rows_already, 0)


def target_filter(target: models.Model) -> dict[str, object]:
    """The lookup of the jobs whose target is ``target``."""
    return {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}
