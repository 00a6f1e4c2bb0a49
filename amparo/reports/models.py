"""Generated reports, kept for download for a while and reused while the data is the same."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.territory.models import Region


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Being generated")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


def report_path(instance: ReportFile, filename: str) -> str:
    return f"reports/{instance.pk}"


class ReportFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The regions the report was made over (for a program report, those its reader saw).
    region_ids = models.JSONField(default=list)
    kind = models.CharField(max_length=20)  # executive | workbook
    file_format = models.CharField(max_length=5)  # pdf | xlsx
    lang = models.CharField(max_length=5)
    donor = models.BooleanField(default=False)
    since = models.DateField(null=True, blank=True)
    data_key = models.CharField(max_length=64, db_index=True)  # parameters + state of the data
    # The reader's grants over the regions when asked (``scope.scope_key``): the report is
    # handed out only while they are the same, not after a downgrade.
    scope_key = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    file = models.FileField(upload_to=report_path, blank=True)
    # Why a failed report failed, when it is something its reader should be told:
    # "disk_full" (nothing could be saved) or "worker_lost" (the worker stopped).
    failure = models.CharField(max_length=20, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.file_format} {self.lang}"
