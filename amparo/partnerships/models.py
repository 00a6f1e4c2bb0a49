"""Relationships that grow the strategy: partnerships and their agreements, the meeting
log with next steps, and the teaching materials carried from region to region."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from amparo.rollout.models import Event, Stage
from amparo.territory.models import BilingualTitle, Contact, Organization, Region


class PartnershipStage(models.TextChoices):
    CONTACTED = "contacted", _("Contacted")
    INTERESTED = "interested", _("Interested")
    SIGNED = "signed", _("Agreement signed")
    ACTIVE = "active", pgettext_lazy("partnership", "Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


def agreement_path(instance: Partnership, filename: str) -> str:
    return f"agreements/{instance.region_id}/{uuid.uuid4().hex}"


class Partnership(models.Model):
    """Where the relationship with one partner organization stands."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="partnerships", verbose_name=_("region")
    )
    organization = models.OneToOneField(
        Organization,
        on_delete=models.PROTECT,
        related_name="partnership",
        verbose_name=_("partner"),
    )
    stage = models.CharField(
        _("stage"),
        max_length=12,
        choices=PartnershipStage.choices,
        default=PartnershipStage.CONTACTED,
    )
    since = models.DateField(_("in this stage since"))
    introduced_by = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introductions",
        verbose_name=_("introduced by"),
        help_text=_(
            "The partnership whose partner made the introduction, e.g. a governor "
            "introducing a counterpart."
        ),
    )
    agreement = models.FileField(_("signed agreement"), upload_to=agreement_path, blank=True)
    agreement_name = models.CharField(max_length=200, blank=True)
    agreement_type = models.CharField(max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["region__name", "organization__name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")

    def __str__(self) -> str:
        return str(self.organization)


class PartnershipMove(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="moves")
    from_stage = models.CharField(max_length=12, choices=PartnershipStage.choices, blank=True)
    to_stage = models.CharField(max_length=12, choices=PartnershipStage.choices)
    on = models.DateField()
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_stage} -> {self.to_stage}"


class Meeting(models.Model):
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("region")
    )
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=300)
    agreed = models.TextField(_("what was agreed"), blank=True)
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="meetings", verbose_name=_("organizations")
    )
    contacts = models.ManyToManyField(
        Contact, blank=True, related_name="meetings", verbose_name=_("participants")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d} · {self.purpose}"


class NextStep(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="next_steps")
    description = models.CharField(_("next step"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="next_steps",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("next step")
        verbose_name_plural = _("next steps")

    def __str__(self) -> str:
        return self.description


class MaterialKind(models.TextChoices):
    SERIES = "series", _("Teaching series")
    MANUAL = "manual", _("Training manual")
    HANDOUT = "handout", _("Handout")
    PRESENTATION = "presentation", _("Presentation")


class Material(BilingualTitle):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=MaterialKind.choices)
    stages = models.ManyToManyField(
        Stage, blank=True, related_name="materials", verbose_name=_("used in stages")
    )

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


def material_path(instance: MaterialVersion, filename: str) -> str:
    return f"materials/{instance.material_id}/{uuid.uuid4().hex}"


class MaterialVersion(models.Model):
    """One language version of a material (Spanish, English, or an Indigenous language)."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    language = models.CharField(
        _("language"), max_length=10, help_text=_("A language code: es, en, or e.g. agr (Awajún).")
    )
    version = models.CharField(_("version"), max_length=40)
    file = models.FileField(_("file"), upload_to=material_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    events = models.ManyToManyField(Event, blank=True, related_name="materials_used")

    class Meta:
        ordering = ["material", "language", "-uploaded_at"]
        verbose_name = _("material version")
        verbose_name_plural = _("material versions")
        constraints = [
            models.UniqueConstraint(
                fields=["material", "language", "version"], name="material_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.material} ({self.language} {self.version})"
