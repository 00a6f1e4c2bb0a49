"""An audit asked for on the page, run by the background worker; its result is kept."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class AuditRun(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The reader: a person (username), a synthetic member (role and region), or donors.
    username = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=20, blank=True)
    donor = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=AuditState.choices, default=AuditState.QUEUED)
    progress = models.CharField(max_length=200, blank=True)
    result = models.JSONField(null=True, blank=True)  # checks.Result as a dict
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"disclosure audit {self.reader_label}"

    @property
    def reader_label(self) -> str:
        if self.donor:
            return str(_("donors and public"))
        if self.username:
            return self.username
        return f"{self.role} {self.region or '*'}"


class ProtectionState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class StoredProtection(models.Model):
    """One audience's protection at one data version, kept in the database so that the
    worker's result reaches every web process. Its row also marks the work as queued or
    running, so the same protection is not asked of the worker twice."""

    version = models.CharField(max_length=40)  # counted.data_version()
    audience = models.CharField(max_length=64)  # stored.audience_key()
    k = models.PositiveSmallIntegerField()
    state = models.CharField(
        max_length=10, choices=ProtectionState.choices, default=ProtectionState.QUEUED
    )
    # zlib-compressed JSON lists of cells: tens of thousands of cells at country scale.
    hidden = models.BinaryField(null=True, blank=True)
    program_cells = models.BinaryField(null=True, blank=True)
    hidden_count = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "audience"], name="protection_per_version")
        ]
        indexes = [models.Index(fields=["audience", "-updated_at"])]

    def __str__(self) -> str:
        return f"protection {self.audience} at {self.version} ({self.state})"


class AudienceUse(models.Model):
    """An audience a page asked for lately: protected again by the worker after a data
    change, so that pages rarely find their protection missing."""

    audience = models.CharField(max_length=64, unique=True)
    k = models.PositiveSmallIntegerField()
    known_regions = models.JSONField(default=list)  # region codes
    program_known = models.BooleanField(default=False)
    last_used = models.DateTimeField()

    def __str__(self) -> str:
        return f"audience {self.audience} (k={self.k})"
