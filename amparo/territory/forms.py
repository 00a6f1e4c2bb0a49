"""Forms for organizations and contacts; choices are limited to the region being edited."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.territory.models import Contact, Organization, Region, Sector


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "kind", "sector", "parent", "city", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, region: Region, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        self.instance.region = region
        self.fields["sector"].queryset = Sector.objects.filter(country=region.country)
        parents = Organization.objects.filter(region=region)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].help_text = _("The larger organization this one belongs to, if any.")

    def clean_name(self) -> str:
        # The (region, name) constraint is skipped by ModelForm since region is not a field.
        name = self.cleaned_data["name"].strip()
        clash = Organization.objects.filter(region=self.region, name__iexact=name)
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(_("This region already has an organization of that name."))
        return name


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "organization", "email", "phone"]

    def __init__(self, *args: object, region: Region, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(region=region)
        self.fields["phone"].widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
        self.fields["name"].help_text = _(
            "Partner staff only. Never record victims or recovery-group members."
        )
