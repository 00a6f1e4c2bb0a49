"""The national policy against trafficking and the intersectoral protocol, as far as the
country pack's sources verify them: objectives, guidelines, services with the entity that
provides them, and the protocol's axes. Program admins complete and correct the lists in
the app; controls, measures and indicators are tagged with the entries they serve."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.catalog.models import CatalogSynced
from amparo.territory.models import BilingualName, CatalogEntry, english_active


class InstrumentKind(models.TextChoices):
    POLICY = "policy", _("National policy")
    PROTOCOL = "protocol", _("Intersectoral protocol")


class ItemKind(models.TextChoices):
    OBJECTIVE = "objective", _("Priority objective")
    GUIDELINE = "guideline", _("Guideline")
    SERVICE = "service", _("Service")
    AXIS = "axis", _("Protocol axis")


class RegionalRole(models.TextChoices):
    RECIPIENT = "recipient", _("Regional governments receive it")
    PROVIDER = "provider", _("Regional governments provide it")
    NONE = "none", _("Regional governments take no part")
    UNKNOWN = "", _("Not known yet")


class Condition(models.TextChoices):
    NEW = "new", _("New")
    IMPROVED = "improved", _("Improved")
    UNKNOWN = "", _("Not known yet")


class PolicyInstrument(BilingualName, CatalogEntry, CatalogSynced):
    """A national policy or protocol, with how many entries of each kind it has in all (so
    the app can say how many are recorded)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=InstrumentKind.choices)
    name_es = models.CharField(_("name (Spanish)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    norm = models.CharField(_("approving norm"), max_length=200, blank=True)
    published = models.DateField(_("published on"), null=True, blank=True)
    horizon = models.PositiveSmallIntegerField(_("horizon (year)"), null=True, blank=True)
    objectives_total = models.PositiveSmallIntegerField(
        _("objectives in all"), null=True, blank=True
    )
    guidelines_total = models.PositiveSmallIntegerField(
        _("guidelines in all"), null=True, blank=True
    )
    services_total = models.PositiveSmallIntegerField(_("services in all"), null=True, blank=True)
    note_es = models.TextField(_("note (Spanish)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("policy instrument")
        verbose_name_plural = _("policy instruments")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"

    @property
    def note(self) -> str:
        return self.note_en if english_active() else self.note_es


class PolicyItem(CatalogEntry, CatalogSynced):
    """An objective, guideline, service or axis of an instrument. A guideline belongs to an
    objective and a service to a guideline (``parent``), where the sources say so."""

    instrument = models.ForeignKey(
        PolicyInstrument, on_delete=models.PROTECT, related_name="items", verbose_name=_("policy")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ItemKind.choices)
    code = models.CharField(_("code"), max_length=20)
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("belongs to"),
    )
    name_es = models.TextField(_("name (Spanish)"), blank=True)
    name_en = models.TextField(_("name (English)"), blank=True)
    name_partial = models.BooleanField(
        _("name only partly known"),
        default=False,
        help_text=_("The source could be read only in part: complete it from the official text."),
    )
    recipient_es = models.TextField(_("who receives it (Spanish)"), blank=True)
    recipient_en = models.TextField(_("who receives it (English)"), blank=True)
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, blank=True
    )
    provider = models.CharField(_("responsible entity (code)"), max_length=40, blank=True)
    provider_es = models.CharField(_("responsible entity (Spanish)"), max_length=200, blank=True)
    provider_en = models.CharField(_("responsible entity (English)"), max_length=200, blank=True)
    regional_role = models.CharField(
        _("role of regional governments"),
        max_length=10,
        choices=RegionalRole.choices,
        blank=True,
    )
    note_es = models.TextField(_("note (Spanish)"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["instrument__code", "kind", "number", "code"]
        verbose_name = _("policy entry")
        verbose_name_plural = _("policy entries")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "code"], name="policy_item_code_once")
        ]

    def __str__(self) -> str:
        return f"{self.tag} · {self.name}"

    @property
    def tag(self) -> str:
        """How the catalog names it: ``PNFTP:L1.1``."""
        return f"{self.instrument.code}:{self.code}"

    @property
    def name(self) -> str:
        text = (self.name_en if english_active() else "") or self.name_es
        return text or str(_("(name not recorded)"))

    @property
    def recipient(self) -> str:
        return (self.recipient_en if english_active() else "") or self.recipient_es

    @property
    def provider_name(self) -> str:
        return (self.provider_en if english_active() else "") or self.provider_es or self.provider

    @property
    def note(self) -> str:
        return (self.note_en if english_active() else "") or self.note_es
