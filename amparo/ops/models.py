"""What the operator needs to see: which background workers are alive, and each recurring
job's last run. Neither holds personal data."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerBeat(models.Model):
    """A background worker's heartbeat: written every few seconds while it runs, also
    during a long task. A worker not seen for a while is taken as gone."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=100, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-seen_at"]
        verbose_name = _("background worker")
        verbose_name_plural = _("background workers")

    def __str__(self) -> str:
        return f"{self.host}:{self.pid}"


class JobOutcome(models.TextChoices):
    OK = "ok", _("Done")
    FAILED = "failed", _("Failed")
    RUNNING = "running", _("Running")


class JobState(models.Model):
    """One row per recurring job: when it last ran and how it went, and the lease that
    makes sure only one process (a worker, or cron) runs it at a time."""

    name = models.CharField(max_length=50, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=10, choices=JobOutcome.choices, blank=True)
    last_message = models.CharField(max_length=300, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    # Held while a process runs the job; a lease past its time was left by a process that
    # died, and may be taken over.
    lease_until = models.DateTimeField(null=True, blank=True)
    lease_holder = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("recurring job")
        verbose_name_plural = _("recurring jobs")

    def __str__(self) -> str:
        return self.name
