from __future__ import annotations

import hashlib
import logging

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from amparo.accounts import access
from amparo.accounts.client import client_address
from amparo.accounts.models import Role, User
from amparo.accounts.people import MembershipSpec
from amparo.accounts.services import RECOVERY_CODE
from amparo.territory.models import Region, Sector

logger = logging.getLogger(__name__)

# Reset mails per hour to one address and from one client address. Beyond them nothing is
# sent, and the answer stays the same, so the form can neither flood an inbox nor tell
# which addresses have accounts.
RESET_MAILS_PER_ADDRESS = 3
RESET_REQUESTS_PER_CLIENT = 10
RESET_WINDOW_SECONDS = 3600


class LoginForm(AuthenticationForm):
    """Django's login form with autocomplete hints for password managers and phones."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none"}
        )
        self.fields["password"].widget.attrs.update({"autocomplete": "current-password"})


class CodeForm(forms.Form):
    """A six-digit code from an authenticator app, friendly to phone keyboards."""

    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autocapitalize": "none",
                "spellcheck": "false",
            }
        ),
    )

    accept_recovery_code = False
    invalid_message = _("Enter the 6 digits the app shows.")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].replace(" ", "")
        if code.isdigit() and len(code) in (6, 8):
            return code
        if self.accept_recovery_code and RECOVERY_CODE.fullmatch(code.lower()):
            return code.lower()
        raise forms.ValidationError(self.invalid_message)


class SignInCodeForm(CodeForm):
    """The code asked after the password: from the app, or one of the recovery codes."""

    accept_recovery_code = True
    invalid_message = _("Enter the 6 digits the app shows, or one of your recovery codes.")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = _("Lost your phone? Enter one of your recovery codes.")


def _count(key: str) -> int:
    """One more request under ``key`` in the current window; the new total."""
    cache.add(key, 0, RESET_WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.set(key, 1, RESET_WINDOW_SECONDS)
        return 1


class ThrottledPasswordResetForm(PasswordResetForm):
    """Django's reset form, sending at most a few mails an hour per address and per client.

    The counts live in the cache (per process with the default local-memory cache, so a
    server with N workers allows up to N times as many; a shared cache makes it exact)."""

    def save(self, *args: object, request=None, **kwargs: object) -> None:
        email = self.cleaned_data["email"].strip().lower()
        address = hashlib.sha256(email.encode()).hexdigest()
        client = client_address(request) if request is not None else ""
        per_address = _count(f"password-reset:address:{address}")
        per_client = _count(f"password-reset:client:{client}")
        if per_address > RESET_MAILS_PER_ADDRESS or per_client > RESET_REQUESTS_PER_CLIENT:
            logger.warning("password reset not sent: too many requests (client %s)", client)
            return
        super().save(*args, request=request, **kwargs)


class MembershipForm(forms.Form):
    """A role over a region (empty: every region) and maybe a sector. The choices are
    those ``user`` may give (``access.may_give``); the services check the combination."""

    role = forms.ChoiceField(label=_("Role"))
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("All regions"),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.order_by("code"),
        required=False,
        empty_label=_("No sector"),
        help_text=_("Only for sector focal points."),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        admin = access.is_program_admin(user)
        self.fields["role"].choices = [("", "—")] + [
            (value, label)
            for value, label in Role.choices
            if admin or value in access.ROLES_COORDINATORS_GIVE
        ]
        self.fields["region"].queryset = access.regions_for_people(user).order_by("name")
        if not admin:
            self.fields["region"].required = True
            self.fields["region"].empty_label = None

    def spec(self) -> MembershipSpec:
        data = self.cleaned_data
        return MembershipSpec(data["role"], data["region"], data["sector"])


class InvitationForm(MembershipForm):
    """Who to invite, and the membership they get on accepting."""

    email = forms.EmailField(
        label=_("E-mail"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)

    field_order = ["email", "first_name", "last_name", "role", "region", "sector"]


class ReasonForm(forms.Form):
    """Why an access change was made, kept in the change log."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the change log, e.g. “lost phone, confirmed by a call”."),
    )


class AcceptInvitationForm(SetPasswordForm):
    """The password an invited person chooses, checked with the site's validators against
    the account about to be created."""

    def __init__(self, user: User, *args: object, **kwargs: object) -> None:
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = _("Password")
        self.fields["new_password2"].label = _("Password again")
