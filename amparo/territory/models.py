"""Regions, sectors of a regional government, partner organizations and their staff."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

iso_3166_2 = RegexValidator(
    r"^[A-Z]{2}-[A-Z0-9]{1,3}$", _("Use an ISO 3166-2 code such as PE-LOR.")
)
iso_3166_1 = RegexValidator(r"^[A-Z]{2}$", _("Use a two-letter ISO 3166-1 code such as PE."))


def english_active() -> bool:
    """Whether the request is in English; Spanish is the default for everything else."""
    return (get_language() or "es").startswith("en")


class BilingualName(models.Model):
    """A row named in Spanish and English; ``name`` follows the active language."""

    name_es = models.CharField(_("name (Spanish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        return self.name_en if english_active() else self.name_es


class BilingualTitle(models.Model):
    """A row titled in Spanish and English; ``title`` follows the active language."""

    title_es = models.CharField(_("title (Spanish)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        return self.title_en if english_active() else self.title_es


class BilingualDescription(models.Model):
    """A description in Spanish and English; ``description`` follows the active language
    and falls back to the Spanish text while the English one is empty."""

    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)

    class Meta:
        abstract = True

    @property
    def description(self) -> str:
        return (self.description_en if english_active() else "") or self.description_es


class CatalogEntry(models.Model):
    """Where a starter-catalog row comes from, and whether it was checked against its source."""

    source = models.TextField(_("source"), blank=True)  # one or more references, "; "-separated
    verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("Checked against the official text of its source."),
    )

    class Meta:
        abstract = True


class Region(CatalogEntry):
    """A first-level subdivision (a Peruvian región), identified by its ISO 3166-2 code."""

    code = models.CharField(_("code"), max_length=6, unique=True, validators=[iso_3166_2])
    name = models.CharField(_("name"), max_length=100)
    capital = models.CharField(_("capital"), max_length=100)
    country = models.CharField(_("country"), max_length=2, validators=[iso_3166_1])
    # Where the capital lies (decimal degrees), for the travel-time suggestion; empty when
    # the country pack gives no coordinates it can cite.
    capital_latitude = models.DecimalField(
        _("capital latitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    capital_longitude = models.DecimalField(
        _("capital longitude"), max_digits=8, decimal_places=5, null=True, blank=True
    )
    coordinates_source = models.TextField(_("source of the coordinates"), blank=True)
    coordinates_verified = models.BooleanField(_("coordinates verified"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(capital_latitude__isnull=True, capital_longitude__isnull=True)
                    | Q(
                        capital_latitude__isnull=False,
                        capital_longitude__isnull=False,
                        capital_latitude__gte=-90,
                        capital_latitude__lte=90,
                        capital_longitude__gte=-180,
                        capital_longitude__lte=180,
                    )
                ),
                name="region_capital_coordinates_valid",
                violation_error_message=_(
                    "Give both coordinates of the capital, in degrees, or neither."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def capital_point(self) -> tuple[float, float] | None:
        """(latitude, longitude) of the capital, or None when not known."""
        if self.capital_latitude is None or self.capital_longitude is None:
            return None
        return float(self.capital_latitude), float(self.capital_longitude)


class Sector(BilingualName, CatalogEntry):
    """A ministry area of a regional government (tourism, education, ...)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    country = models.CharField(_("country"), max_length=2, validators=[iso_3166_1])
    counterpart = models.CharField(_("national counterpart"), max_length=100, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class OrganizationKind(models.TextChoices):
    REGIONAL_GOVERNMENT = "regional_government", _("Regional government")
    SECTOR_OFFICE = "sector_office", _("Sector office")
    NATIONAL_BODY = "national_body", _("National body")
    MUNICIPALITY = "municipality", _("Municipality")
    FRATERNITY = "fraternity", _("Pastors' fraternity")
    CHURCH = "church", _("Church")
    NGO = "ngo", _("NGO")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class Organization(models.Model):
    """A partner: a government office, a fraternity, a church, ... in one region."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("region")
    )
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("sector"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="organization_name_unique_in_region",
                violation_error_message=_("This region already has an organization of that name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A member of a partner's staff. Never a victim or a recovery-group member."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name
