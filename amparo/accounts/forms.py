from __future__ import annotations

import hashlib
import logging

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from amparo.accounts.client import client_address
from amparo.accounts.services import RECOVERY_CODE

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
