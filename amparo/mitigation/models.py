"""Mitigation: the reference control library and the measures (policy, procedure,
program) a regional government adopts against each finding, with evidence."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.assessment.models import Finding, Threat
from amparo.catalog.models import CatalogSynced
from amparo.territory.models import (
    BilingualDescription,
    BilingualTitle,
    CatalogEntry,
    Contact,
    Organization,
    Region,
    Sector,
)
from amparo.versioned import version_field, version_positive


class MeasureKind(models.TextChoices):
    POLICY = "policy", _("Policy")
    PROCEDURE = "procedure", _("Procedure")
    PROGRAM = "program", _("Program")


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    DRAFTING = "drafting", _("Drafting")
    APPROVED = "approved", _("Approved")
    IMPLEMENTED = "implemented", _("Implemented")
    VERIFIED = "verified", _("Verified")
    DROPPED = "dropped", _("Dropped")


class Control(BilingualTitle, BilingualDescription, CatalogEntry, CatalogSynced):
    """A reference measure from the library, mapped to frameworks and to the threats it
    treats. Measures start from one and are then adapted."""

    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="controls", verbose_name=_("sector")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=MeasureKind.choices)
    frameworks = models.JSONField(_("frameworks"), default=list, blank=True)
    threats = models.ManyToManyField(
        Threat, blank=True, related_name="controls", verbose_name=_("threats treated")
    )
    policy_items = models.ManyToManyField(
        "policy.PolicyItem",
        blank=True,
        related_name="controls",
        verbose_name=_("national policy entries it serves"),
    )

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("control")
        verbose_name_plural = _("controls")

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"


class Measure(models.Model):
    """A policy, procedure or program of one sector in one region, tracked to verified."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="measures", verbose_name=_("region")
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="measures", verbose_name=_("sector")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=MeasureKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    control = models.ForeignKey(
        Control,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("from the library"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("owning organization"),
    )
    responsible = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name=_("responsible contact"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_measures",
        verbose_name=_("follow-up by"),
        help_text=_("The amparo user who follows it up and gets the reminders."),
    )
    findings = models.ManyToManyField(
        Finding, blank=True, related_name="measures", verbose_name=_("findings treated")
    )
    policy_items = models.ManyToManyField(
        "policy.PolicyItem",
        blank=True,
        related_name="measures",
        verbose_name=_("national policy entries it serves"),
        help_text=_("Taken from its library entry; change them if the measure serves others."),
    )
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED
    )
    drop_reason = models.TextField(_("why it was dropped"), blank=True)
    lowers_likelihood = models.PositiveSmallIntegerField(
        _("expected drop in likelihood"), default=0
    )
    lowers_impact = models.PositiveSmallIntegerField(_("expected drop in impact"), default=0)
    implemented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    version = version_field()
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["sector__code", "kind", "title"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            version_positive("measure"),
            models.CheckConstraint(
                condition=Q(due_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(due_on__gte=models.F("starts_on")),
                name="measure_due_after_start",
                violation_error_message=_("The due date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(lowers_likelihood__lte=9) & Q(lowers_impact__lte=9),
                name="measure_effect_in_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MeasureMove(models.Model):
    """Who moved a measure from one status to another, and when."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="moves")
    from_status = models.CharField(max_length=12, choices=MeasureStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=MeasureStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.measure}: {self.from_status} -> {self.to_status}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # A random name: the original is kept in the row, never in a guessable path.
    return f"evidence/{instance.measure_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """A document (approved ordinance, signed protocol, attendance sheet) or a link."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(_("description"), max_length=300)
    file = models.FileField(_("file"), upload_to=evidence_path, blank=True, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)
    url = models.URLField(_("link"), blank=True, max_length=500)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="evidence_is_a_file_or_a_link",
            )
        ]

    def __str__(self) -> str:
        return self.description
