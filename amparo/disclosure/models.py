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
