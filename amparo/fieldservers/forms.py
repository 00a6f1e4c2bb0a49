from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.fieldservers.models import Connection, ServerKind


class ConnectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Server"), choices=ServerKind.choices)
    name = forms.SlugField(
        label=_("Name"), max_length=40, help_text=_("Short, without spaces: used by commands.")
    )
    base_url = forms.URLField(
        label=_("Server address"),
        max_length=200,
        assume_scheme="https",
        help_text=_("For example https://kf.kobotoolbox.org or your ODK Central's address."),
    )
    project_id = forms.IntegerField(
        label=_("ODK Central project number"), required=False, min_value=1
    )
    username = forms.CharField(
        label=_("ODK Central account e-mail"), max_length=150, required=False
    )
    secret = forms.CharField(
        label=_("API token or password"),
        required=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_("Stored encrypted and never shown again; leave empty to keep the stored one."),
    )
    interval_minutes = forms.IntegerField(
        label=_("Minutes between pulls"), min_value=1, max_value=1440, initial=15
    )
    confirm_before_writing = forms.BooleanField(
        label=_("A coordinator confirms each pull before it is written"), required=False
    )

    @classmethod
    def of(cls, connection: Connection) -> ConnectionForm:
        return cls(
            initial={
                "kind": connection.kind,
                "name": connection.name,
                "base_url": connection.base_url,
                "project_id": connection.project_id,
                "username": connection.username,
                "interval_minutes": connection.interval_minutes,
                "confirm_before_writing": connection.confirm_before_writing,
            }
        )


class PublishForm(forms.Form):
    connection = forms.ModelChoiceField(label=_("Server"), queryset=Connection.objects.none())
    sector = forms.ChoiceField(label=_("Form"))

    def __init__(self, *args, connections, sectors, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["connection"].queryset = connections
        self.fields["sector"].choices = [("", _("All sectors in one form"))] + [
            (s.code, f"{s.code} · {s.name}") for s in sectors
        ]
        self.fields["sector"].required = False
