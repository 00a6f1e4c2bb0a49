"""The indicator form: what a program admin types to create or change an indicator, and
the measures linked to it."""

from __future__ import annotations

import re

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.indicators.models import (
    Aggregation,
    DisaggregationDimension,
    DisaggregationValue,
    Indicator,
)
from amparo.indicators.services import indicator_problems
from amparo.mitigation.models import Measure
from amparo.policy.models import PolicyItem

DIMENSION = re.compile(r"^[a-z][a-z0-9_]*$")


class DisaggregationsField(forms.CharField):
    """Dimension names separated by commas (``sex, age_band``), read as a list."""

    def to_python(self, value: object) -> list[str]:
        text = super().to_python(value)
        names = [part.strip() for part in text.split(",") if part.strip()]
        for name in names:
            if not DIMENSION.match(name):
                raise forms.ValidationError(
                    _("%(name)s is not a dimension name (lower-case letters, digits, _)."),
                    params={"name": name},
                )
        return list(dict.fromkeys(names))

    def prepare_value(self, value: object) -> object:
        return ", ".join(value) if isinstance(value, list) else value


class IndicatorForm(forms.ModelForm):
    disaggregations = DisaggregationsField(
        label=_("disaggregations"),
        required=False,
        help_text=_("Dimension names separated by commas, such as sex, age_band."),
    )
    measures = forms.ModelMultipleChoiceField(
        label=_("linked measures"),
        queryset=Measure.objects.none(),
        required=False,
        help_text=_("Their implementation dates are marked on the indicator's charts."),
    )

    class Meta:
        model = Indicator
        fields = [
            "code", "name_es", "name_en", "level", "unit", "direction", "aggregation",
            "numerator", "denominator", "frequency", "sector", "disaggregations",
            "caveat_es", "caveat_en", "is_key", "policy_items",
        ]  # fmt: skip
        widgets = {
            "policy_items": forms.CheckboxSelectMultiple,
            "caveat_es": forms.Textarea(attrs={"rows": 2}),
            "caveat_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self, *args: object, measures: QuerySet[Measure] | None = None, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        parts = Indicator.objects.exclude(aggregation=Aggregation.RATIO)
        if self.instance.pk:
            parts = parts.exclude(pk=self.instance.pk)
        for name in ("numerator", "denominator"):
            self.fields[name].queryset = parts
            self.fields[name].help_text = _("Only for a ratio.")
        self.fields["policy_items"].queryset = PolicyItem.objects.select_related("instrument")
        self.fields["policy_items"].label_from_instance = lambda p: f"{p.tag} · {p.name}"
        if self.instance.from_catalog:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code of a catalog indicator cannot change.")
        if measures is None:
            del self.fields["measures"]
        else:
            self.fields["measures"].queryset = measures
            self.fields["measures"].label_from_instance = lambda m: (
                f"{m.region.code} · {m.sector.code} · {m.title}"
            )
            self.initial.setdefault(
                "measures", [m.pk for m in self.instance.measures.all()] if self.instance.pk else []
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        original = Indicator.objects.get(pk=self.instance.pk) if self.instance.pk else None
        for name, problems in indicator_problems(indicator=original, values=cleaned).items():
            for problem in problems:
                self.add_error(name, problem)
        return cleaned


class DimensionForm(forms.ModelForm):
    class Meta:
        model = DisaggregationDimension
        fields = ["code", "name_es", "name_en", "note_es", "note_en", "source", "verified"]
        widgets = {
            "note_es": forms.Textarea(attrs={"rows": 2}),
            "note_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Observations use this code: it cannot change.")


class DisaggregationValueForm(forms.ModelForm):
    class Meta:
        model = DisaggregationValue
        fields = [
            "code", "label_es", "label_en", "min_age", "max_age", "sdg_series", "source",
            "verified",
        ]  # fmt: skip

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.from_catalog:
            self.fields["code"].disabled = True
        self.fields["min_age"].help_text = _("For age groups only.")
        self.fields["max_age"].help_text = _("Empty for an open upper bound (18 and over).")
