"""The form program admins use to name amparo's rows in DHIS2."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.dhis2.models import CodeKind


class CodeForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CodeKind.choices)
    key = forms.CharField(
        label=_("amparo"),
        max_length=40,
        required=False,
        help_text=_(
            "An indicator code (OUT-TRAINED), a region code (PE-LOR), a disaggregation "
            "(sex=f; empty for the total) or nothing for the attribute option combo."
        ),
    )
    code = forms.CharField(label=_("DHIS2 code or UID"), max_length=50)


class ExportForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=6, help_text=_("2026, 2026Q1 or 202601"))
    format = forms.ChoiceField(
        label=_("Format"), choices=[("json", "JSON"), ("csv", "CSV")], initial="json"
    )
