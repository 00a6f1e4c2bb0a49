"""Forms for measures and evidence; choices are limited to the region and the sectors the
person may change."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.assessment.models import Finding
from amparo.concurrency import add_version_field
from amparo.mitigation.models import Measure, MeasureStatus
from amparo.policy.models import PolicyItem
from amparo.territory.models import Contact, Organization, Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "sector", "kind", "title", "description", "organization", "responsible", "owner",
            "findings", "starts_on", "due_on", "lowers_likelihood", "lowers_impact",
            "policy_items",
        ]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DATE,
            "due_on": DATE,
            "findings": forms.CheckboxSelectMultiple,
            "policy_items": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self, *args: object, region: Region, sectors: object, owners: object, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = sectors
        self.fields["organization"].queryset = Organization.objects.filter(region=region)
        self.fields["responsible"].queryset = Contact.objects.filter(organization__region=region)
        self.fields["owner"].queryset = owners
        latest = region.assessments.order_by("-number").first()
        self.fields["findings"].queryset = (
            Finding.objects.filter(assessment=latest, sector__in=sectors).select_related("threat")
            if latest
            else Finding.objects.none()
        )
        self.fields["findings"].help_text = _("Findings of the latest assessment round.")
        self.fields["findings"].label_from_instance = lambda f: (
            f"{f.threat.code} · {f.threat.title}"
        )
        for name in ("lowers_likelihood", "lowers_impact"):
            self.fields[name].widget.attrs.update({"min": 0, "max": 4})
            self.fields[name].help_text = _("Levels it should lower once implemented (0-4).")
        self.fields["policy_items"].queryset = PolicyItem.objects.select_related("instrument")
        self.fields["policy_items"].label_from_instance = lambda p: f"{p.tag} · {p.name}"
        add_version_field(self)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        starts, due = cleaned.get("starts_on"), cleaned.get("due_on")
        if starts and due and due < starts:
            self.add_error("due_on", _("The due date cannot be before the start date."))
        sector = cleaned.get("sector")
        findings = cleaned.get("findings") or []
        if sector and any(f.sector_id != sector.pk for f in findings):
            self.add_error("findings", _("Choose findings of the measure's sector."))
        for name in ("lowers_likelihood", "lowers_impact"):
            if (cleaned.get(name) or 0) > 4:
                self.add_error(name, _("Use a number from 0 to 4."))
        return cleaned


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=MeasureStatus.choices)
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(forms.Form):
    description = forms.CharField(label=_("What is it?"), max_length=300)
    file = forms.FileField(label=_("Document"), required=False)
    url = forms.URLField(
        label=_("or a link"), required=False, max_length=500, assume_scheme="https"
    )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        if bool(cleaned.get("file")) == bool(cleaned.get("url")):
            raise forms.ValidationError(_("Attach either a file or a link."))
        return cleaned
