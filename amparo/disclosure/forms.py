"""The reader an audit on the page is about."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import Role, User
from amparo.territory.models import Region


class ReaderForm(forms.Form):
    reader = forms.ChoiceField(
        label=_("Reader"),
        choices=[
            ("role", _("A role in a region")),
            ("user", _("A person")),
            ("donor", _("A report for donors and the public")),
        ],
        initial="role",
        widget=forms.RadioSelect,
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.VIEWER)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All regions"),
    )
    username = forms.CharField(label=_("Username"), max_length=150, required=False)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("reader") == "user":
            name = data.get("username", "")
            if not User.objects.filter(username=name, is_active=True).exists():
                self.add_error("username", _("No active person has this username."))
        return data

    def reader_kwargs(self) -> dict[str, object]:
        """The keyword arguments of ``services.audit_request`` for the chosen reader."""
        data = self.cleaned_data
        if data["reader"] == "donor":
            return {"donor": True}
        if data["reader"] == "user":
            return {"username": data["username"]}
        return {"role": data["role"], "region": data["region"].code if data["region"] else ""}
