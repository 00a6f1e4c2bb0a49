from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.partnerships.models import Material, Partnership
from amparo.rollout.models import Stage
from amparo.territory.models import Contact, Organization, Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PartnershipForm(forms.Form):
    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=_("Partner"))
    since = forms.DateField(label=_("First contact"), widget=DATE)
    introduced_by = forms.ModelChoiceField(
        queryset=Partnership.objects.none(),
        required=False,
        label=_("Introduced by"),
        help_text=_("The partner that made the introduction, e.g. a governor of another region."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: object, region: Region, introducers: object, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            region=region, partnership__isnull=True
        )
        self.fields["introduced_by"].queryset = introducers


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    agreed = forms.CharField(
        label=_("What was agreed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    organizations = forms.ModelMultipleChoiceField(
        queryset=Organization.objects.none(),
        required=False,
        label=_("Organizations"),
        widget=forms.CheckboxSelectMultiple,
    )
    contacts = forms.ModelMultipleChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label=_("Participants"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: object,
        region: Region,
        organizations: QuerySet[Organization],
        owners: object,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Every organization of the region: a meeting may be with any partner.
        self.fields["organizations"].queryset = organizations
        self.fields["contacts"].queryset = Contact.objects.filter(organization__region=region)
        for n in range(1, 4):
            self.fields[f"step{n}"] = forms.CharField(
                label=_("Next step %(n)s") % {"n": n}, required=False, max_length=300
            )
            self.fields[f"owner{n}"] = forms.ModelChoiceField(
                queryset=owners, required=False, label=_("Owner")
            )
            self.fields[f"due{n}"] = forms.DateField(
                required=False, label=_("Due date"), widget=DATE
            )

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        steps = []
        for n in range(1, 4):
            text, owner, due = (cleaned.get(f"{k}{n}") for k in ("step", "owner", "due"))
            if text and (owner is None or due is None):
                self.add_error(f"step{n}", _("A next step needs an owner and a due date."))
            elif text:
                steps.append((text, owner, due))
        cleaned["next_steps"] = steps
        return cleaned


class NextStepForm(forms.Form):
    description = forms.CharField(label=_("Next step"), max_length=300)
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label=_("Owner"))
    due_on = forms.DateField(label=_("Due date"), widget=DATE)

    def __init__(self, *args: object, owners: QuerySet[User], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class MaterialVersionForm(forms.Form):
    language = forms.CharField(
        label=_("Language code"),
        max_length=10,
        initial="es",
        help_text=_("es, en, or e.g. agr (Awajún), cbu (Candoshi)."),
    )
    version = forms.CharField(label=_("Version"), max_length=40, initial="1")
    file = forms.FileField(label=_("File"))


class MaterialForm(forms.ModelForm):
    class Meta:
        model = Material
        fields = ["code", "title_es", "title_en", "kind", "stages"]
        widgets = {"stages": forms.CheckboxSelectMultiple}


class MaterialStagesForm(forms.Form):
    stages = forms.ModelMultipleChoiceField(
        queryset=Stage.objects.all(),
        required=False,
        label=_("Used in stages"),
        widget=forms.CheckboxSelectMultiple,
    )
