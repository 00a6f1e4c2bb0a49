"""Forms program admins use to complete and correct the national policy."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.policy.models import ItemKind, PolicyInstrument, PolicyItem

TEXT = forms.Textarea(attrs={"rows": 2})


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = PolicyInstrument
        fields = [
            "name_es", "name_en", "norm", "published", "horizon", "objectives_total",
            "guidelines_total", "services_total", "note_es", "note_en", "source", "verified",
        ]  # fmt: skip
        widgets = {
            "published": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note_es": TEXT,
            "note_en": TEXT,
            "source": TEXT,
        }


class ItemForm(forms.ModelForm):
    class Meta:
        model = PolicyItem
        fields = [
            "kind", "code", "number", "parent", "name_es", "name_en", "name_partial",
            "recipient_es", "recipient_en", "condition", "provider", "provider_es",
            "provider_en", "regional_role", "note_es", "note_en", "source", "verified",
        ]  # fmt: skip
        widgets = dict.fromkeys(
            ["name_es", "name_en", "recipient_es", "recipient_en", "note_es", "note_en", "source"],
            TEXT,
        )

    def __init__(self, *args: object, instrument: PolicyInstrument, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        parents = instrument.items.filter(kind__in=[ItemKind.OBJECTIVE, ItemKind.GUIDELINE])
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents.select_related("instrument")
        self.fields["parent"].label_from_instance = lambda p: f"{p.code} · {p.name}"
        self.fields["parent"].help_text = _(
            "A guideline belongs to an objective, a service to a guideline."
        )
        if self.instance.from_catalog:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Tags name it by its code: it cannot change.")
