"""Connections to field servers (KoboToolbox, ODK Central) and the forms of rounds
published on them, with where each form's pull of answers stands."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.assessment.models import Assessment


class ServerKind(models.TextChoices):
    KOBO = "kobo", "KoboToolbox"
    ODK = "odk", "ODK Central"


class Connection(models.Model):
    """A server answers are collected on. Its secret (a KoboToolbox API token, or an ODK
    Central password) is kept encrypted (``vault.py``) and sent only to ``base_url``."""

    kind = models.CharField(_("server"), max_length=4, choices=ServerKind.choices)
    name = models.SlugField(_("name"), max_length=40, unique=True)
    base_url = models.URLField(_("server address"), max_length=200)
    project_id = models.PositiveIntegerField(_("ODK Central project"), null=True, blank=True)
    username = models.CharField(_("account (ODK Central e-mail)"), max_length=150, blank=True)
    secret_sealed = models.TextField(editable=False)
    enabled = models.BooleanField(_("enabled"), default=True)
    interval_minutes = models.PositiveSmallIntegerField(_("minutes between pulls"), default=15)
    confirm_before_writing = models.BooleanField(
        _("a coordinator confirms each pull before it is written"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    tested_at = models.DateTimeField(null=True, blank=True)
    test_result = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("field server")
        verbose_name_plural = _("field servers")

    def __str__(self) -> str:
        return self.name

    @property
    def host(self) -> str:
        return urlsplit(self.base_url).netloc.lower()

    @property
    def interval(self) -> timedelta:
        return timedelta(minutes=self.interval_minutes)


class SyncOutcome(models.TextChoices):
    NEVER = "", _("Not pulled yet")
    OK = "ok", _("Pulled")
    WAITING = "waiting", _("Waiting for a coordinator to confirm")
    REFUSED = "refused", _("The server refused the token")
    FAILED = "failed", _("The server could not be reached")


class PublishedForm(models.Model):
    """A round's form (one sector's, or all sectors' when ``sector_code`` is empty) on a
    server: the server's id and version of it, and the pull of its answers. ``cursor``
    is the latest submission or edit time written; it moves only after a write."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="forms")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="published_forms"
    )
    sector_code = models.CharField(max_length=10, blank=True)  # "": the all-sectors form
    server_form_id = models.CharField(max_length=100)
    server_version = models.CharField(max_length=100, blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cursor = models.CharField(max_length=40, blank=True)
    # The submissions read at exactly the cursor's time: read again by the next pull (its
    # filter is "at or after"), they are left out rather than brought back.
    cursor_keys = models.JSONField(default=list, blank=True)
    # Pulled but waiting for a coordinator: the jobs (ids), and the cursor once they are done.
    pending_jobs = models.JSONField(default=list, blank=True)
    pending_cursor = models.CharField(max_length=40, blank=True)
    pending_cursor_keys = models.JSONField(default=list, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=SyncOutcome.choices, blank=True)
    outcome_detail = models.CharField(max_length=300, blank=True)
    last_new = models.PositiveIntegerField(default=0)
    last_held = models.PositiveIntegerField(default=0)
    last_skipped = models.PositiveIntegerField(default=0)
    failures = models.PositiveSmallIntegerField(default=0)  # in a row, for the back-off
    next_at = models.DateTimeField(null=True, blank=True)
    running_until = models.DateTimeField(null=True, blank=True)  # one pull at a time

    class Meta:
        ordering = ["assessment", "connection__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "assessment", "sector_code"], name="published_form_once"
            )
        ]
        indexes = [models.Index(fields=["next_at"], name="published_form_next")]

    def __str__(self) -> str:
        return self.server_form_id
