"""The government track: a configurable risk matrix, the threat catalog per sector,
assessment rounds per region and their findings."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.assessment import scoring
from amparo.catalog.models import CatalogSynced
from amparo.territory.models import (
    BilingualDescription,
    BilingualName,
    BilingualTitle,
    CatalogEntry,
    Region,
    Sector,
)
from amparo.versioned import version_field, version_positive


class RiskMatrix(BilingualName):
    """Likelihood and impact levels and the grid that maps each cell to a risk level.
    Stored as plain lists so any size and shape works; ``spec()`` gives the pure form."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    likelihoods = models.JSONField(_("likelihood levels"))  # [[es, en], ...] for 1..n
    impacts = models.JSONField(_("impact levels"))
    levels = models.JSONField(_("risk levels"))  # [{code, name_es, name_en, colour, rank}]
    grid = models.JSONField(_("grid"))  # grid[likelihood-1][impact-1] = level code
    is_default = models.BooleanField(_("default for new rounds"), default=False)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("risk matrix")
        verbose_name_plural = _("risk matrices")

    def __str__(self) -> str:
        return self.name

    def spec(self) -> scoring.MatrixSpec:
        return scoring.MatrixSpec(
            likelihoods=tuple(tuple(x) for x in self.likelihoods),
            impacts=tuple(tuple(x) for x in self.impacts),
            levels=tuple(scoring.LevelSpec(**level) for level in self.levels),
            grid=tuple(tuple(row) for row in self.grid),
        )

    @classmethod
    def fields_from_spec(cls, spec: scoring.MatrixSpec) -> dict[str, object]:
        return {
            "likelihoods": [list(x) for x in spec.likelihoods],
            "impacts": [list(x) for x in spec.impacts],
            "levels": [level.__dict__ for level in spec.levels],
            "grid": [list(row) for row in spec.grid],
        }


class Threat(BilingualTitle, BilingualDescription, CatalogEntry, CatalogSynced):
    """A problem in a ministry's area that enables child sex trafficking or tourism."""

    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="threats", verbose_name=_("sector")
    )
    code = models.CharField(_("code"), max_length=20, unique=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("threat")
        verbose_name_plural = _("threats")

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_PROGRESS = "in_progress", _("In progress")
    IN_REVIEW = "in_review", _("In review")
    COMPLETED = "completed", _("Completed")


class Assessment(models.Model):
    """One round of the systemic threat assessment in a region."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("region")
    )
    number = models.PositiveSmallIntegerField(_("round"))
    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    matrix = models.ForeignKey(
        RiskMatrix, on_delete=models.PROTECT, related_name="+", verbose_name=_("risk matrix")
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("previous round"),
    )
    started_on = models.DateField(_("started on"))
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    completion_note = models.TextField(_("why it was completed with open problems"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The imports of field answers into the round (deleted with it).
    imports = GenericRelation(
        "imports.ImportJob", content_type_field="target_type", object_id_field="target_id"
    )

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["region__name", "-number"]
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        constraints = [
            models.UniqueConstraint(fields=["region", "number"], name="round_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region} · {self.number}"


class Confidence(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class Finding(models.Model):
    """A threat as found in one sector of one region in one round, rated before and after
    the controls in place. ``sector`` always equals the threat's sector."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="findings", verbose_name=_("round")
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="+", verbose_name=_("sector")
    )
    threat = models.ForeignKey(
        Threat, on_delete=models.PROTECT, related_name="findings", verbose_name=_("threat")
    )
    inherent_likelihood = models.PositiveSmallIntegerField(_("likelihood before controls"))
    inherent_impact = models.PositiveSmallIntegerField(_("impact before controls"))
    current_controls = models.TextField(_("controls in place"), blank=True)
    residual_likelihood = models.PositiveSmallIntegerField(
        _("likelihood with current controls"), null=True, blank=True
    )
    residual_impact = models.PositiveSmallIntegerField(
        _("impact with current controls"), null=True, blank=True
    )
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_source = models.CharField(_("source of the evidence"), max_length=300, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    justification = models.TextField(_("justification"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    version = version_field()
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["threat__code"]
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        constraints = [
            version_positive("finding"),
            models.UniqueConstraint(
                fields=["assessment", "threat"],
                name="one_finding_per_threat_and_round",
                violation_error_message=_("This round already has a finding for that threat."),
            ),
            models.CheckConstraint(
                condition=models.Q(residual_likelihood__isnull=True, residual_impact__isnull=True)
                | models.Q(residual_likelihood__isnull=False, residual_impact__isnull=False),
                name="residual_rated_as_a_pair",
                violation_error_message=_("Give both residual likelihood and impact, or neither."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} · {self.threat.code}"

    @property
    def inherent(self) -> tuple[int, int]:
        return (self.inherent_likelihood, self.inherent_impact)

    @property
    def residual(self) -> tuple[int, int] | None:
        if self.residual_likelihood is None:
            return None
        return (self.residual_likelihood, self.residual_impact)

    def rating(
        self, measures: int | None = None, suggested: tuple[int, int] | None = None
    ) -> scoring.Rating:
        return scoring.Rating(
            self.threat.code, self.sector.code, self.inherent, self.residual, measures, suggested
        )
