"""How amparo's indicators, regions and disaggregations are named in a DHIS2 instance."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CodeKind(models.TextChoices):
    DATA_ELEMENT = "data_element", _("Indicator → data element")
    ORG_UNIT = "org_unit", _("Region → organisation unit")
    CATEGORY_OPTION_COMBO = "category_option_combo", _("Disaggregation → category option combo")
    ATTRIBUTE_OPTION_COMBO = "attribute_option_combo", _("Attribute option combo")


class Dhis2Code(models.Model):
    """The DHIS2 name (code or UID) of one amparo name: an indicator code, a region code, a
    disaggregation (``sex=f``; empty for the total) or, for the attribute option combo
    written on every value, nothing. One to one in each direction."""

    kind = models.CharField(_("kind"), max_length=24, choices=CodeKind.choices)
    key = models.CharField(_("amparo"), max_length=40, blank=True)
    code = models.CharField(_("DHIS2 code or UID"), max_length=50)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["kind", "key"]
        verbose_name = _("DHIS2 name")
        verbose_name_plural = _("DHIS2 names")
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="dhis2_key_once"),
            models.UniqueConstraint(fields=["kind", "code"], name="dhis2_code_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.key or '—'} → {self.code}"
