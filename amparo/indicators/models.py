"""Indicators of measurable impact, their baselines and targets per region, and the
observations that feed them. Church-track indicators are computed, never typed."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.catalog.models import CatalogSynced
from amparo.mitigation.models import Measure
from amparo.territory.models import BilingualName, CatalogEntry, Region, Sector, english_active


class Level(models.TextChoices):
    OUTPUT = "output", _("Output")
    INTERMEDIATE = "intermediate", _("Intermediate outcome")
    OUTCOME = "outcome", _("Outcome")


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percent")
    SOLES = "soles", _("Soles")
    DAYS = "days", _("Days")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Sum")
    MEAN = "mean", _("Mean")
    LAST = "last", _("Latest value")
    RATIO = "ratio", _("Ratio of two indicators")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Computed(models.TextChoices):
    PASTORS_TRAINED = "pastors_trained", _("Pastors trained (church track)")
    CHURCHES_REPRESENTED = "churches_represented", _("Churches represented (church track)")
    GROUPS_LAUNCHED = "groups_launched", _("Recovery groups launched (church track)")
    GROUPS_ACTIVE = "groups_active", _("Recovery groups active (church track)")


class Indicator(BilingualName, CatalogEntry, CatalogSynced):
    code = models.CharField(_("code"), max_length=20, unique=True)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    aggregation = models.CharField(_("aggregation"), max_length=6, choices=Aggregation.choices)
    numerator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("numerator"),
    )
    denominator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("denominator"),
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices)
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("sector"),
    )
    disaggregations = models.JSONField(_("disaggregations"), default=list, blank=True)
    computed_from = models.CharField(
        _("computed from"), max_length=24, choices=Computed.choices, blank=True
    )
    is_key = models.BooleanField(_("on dashboards"), default=False)
    caveat_es = models.TextField(_("caveat (Spanish)"), blank=True)
    caveat_en = models.TextField(_("caveat (English)"), blank=True)
    measures = models.ManyToManyField(
        Measure, blank=True, related_name="indicators", verbose_name=_("linked measures")
    )
    policy_items = models.ManyToManyField(
        "policy.PolicyItem",
        blank=True,
        related_name="indicators",
        verbose_name=_("national policy entries it measures"),
    )
    # The international standard it follows (the pack's "standard"), such as SDG 16.2.2.
    standard = models.JSONField(_("standard"), default=dict, blank=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        aggregation="ratio", numerator__isnull=False, denominator__isnull=False
                    )
                    | (
                        ~models.Q(aggregation="ratio")
                        & models.Q(numerator__isnull=True, denominator__isnull=True)
                    )
                ),
                name="indicator_ratio_has_its_two_parts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def caveat(self) -> str:
        return self.caveat_en if english_active() else self.caveat_es

    @property
    def typed(self) -> bool:
        """Whether people enter its values (not computed, not a ratio)."""
        return not self.computed_from and self.aggregation != Aggregation.RATIO


class TargetKind(models.TextChoices):
    BASELINE = "baseline", _("Baseline")
    TARGET = "target", _("Target")


class Target(models.Model):
    """A baseline or a target of an indicator in a region for a period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=TargetKind.choices)
    period = models.DateField(_("period"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["indicator", "region", "kind", "period"]
        verbose_name = _("baseline or target")
        verbose_name_plural = _("baselines and targets")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "kind", "period"], name="target_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.region.code} {self.kind} {self.period}"


class Observation(models.Model):
    """A value of an indicator in a region for a period, maybe for one group of people
    (``"sex=f"``, ``"age_band=10-14"``, or combined in canonical order:
    ``"age_band=10-14;sex=f"``; empty for the total)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="observations")
    period = models.DateField(_("period"))
    disaggregation = models.CharField(_("disaggregation"), max_length=120, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["indicator", "region", "period"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "region", "period", "disaggregation"],
                name="observation_once_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="observation_not_negative"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "indicator", "period"], name="obs_region_ind_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.region.code} {self.period}: {self.value}"


class DisaggregationDimension(BilingualName, CatalogEntry, CatalogSynced):
    """A standard breakdown of indicator values (sex, age group, form of exploitation), so
    that values from different sources line up. Its values never overlap and together make
    up the total."""

    code = models.CharField(
        _("code"),
        max_length=30,
        unique=True,
        validators=[RegexValidator(r"^[a-z][a-z0-9_]*$", _("Use lower-case letters, digits, _."))],
    )
    note_es = models.TextField(_("note (Spanish)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("disaggregation")
        verbose_name_plural = _("disaggregations")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def note(self) -> str:
        return (self.note_en if english_active() else "") or self.note_es


class DisaggregationValue(CatalogEntry, CatalogSynced):
    """One value of a dimension; an observation of that group is stored as
    ``"<dimension>=<value>"`` (``sex=f``)."""

    dimension = models.ForeignKey(
        DisaggregationDimension,
        on_delete=models.CASCADE,
        related_name="values",
        verbose_name=_("disaggregation"),
    )
    code = models.CharField(
        _("code"),
        max_length=20,
        validators=[RegexValidator(r"^[A-Za-z0-9_+\-.]+$", _("Use letters, digits, _ + - ."))],
    )
    label_es = models.CharField(_("label (Spanish)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200)
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    sdg_series = models.CharField(_("SDG database series"), max_length=40, blank=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["dimension__code", "min_age", "code"]
        verbose_name = _("disaggregation value")
        verbose_name_plural = _("disaggregation values")
        constraints = [
            models.UniqueConstraint(fields=["dimension", "code"], name="disaggregation_value_once")
        ]

    def __str__(self) -> str:
        return self.key

    @property
    def key(self) -> str:
        """As an observation stores it: ``sex=f``."""
        return f"{self.dimension.code}={self.code}"

    @property
    def label(self) -> str:
        return (self.label_en if english_active() else "") or self.label_es
