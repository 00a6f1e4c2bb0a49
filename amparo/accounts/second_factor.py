"""What a signed-in person still owes before they may use the site: nothing, a code from
their authenticator app, or setting one up (program admins without a device).

The OTP middleware of django-otp marks a session as verified once a code was accepted in
it; this module only decides whether that is needed.
"""

from __future__ import annotations

from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts import access
from amparo.accounts.models import User

SETUP = "otp-setup"
VERIFY = "otp-verify"
_UNKNOWN = object()


def is_verified(user: User) -> bool:
    """Whether a code was accepted in this session (set by django-otp's middleware)."""
    return getattr(user, "otp_device", None) is not None


def has_app(user: User) -> bool:
    """Whether the user has a confirmed authenticator app. Recovery codes alone do not count:
    they only stand in for the app (one query, on every signed-in request)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def step_due(user: User) -> str | None:
    """The URL name of the step the user must take first, or None when nothing is owed.

    A user with a confirmed device must enter a code; a program admin without one, or a
    person whose lost second factor was reset, must set one up. Read once per request and
    kept on the user object.
    """
    if not user.is_authenticated or is_verified(user):
        return None
    cached = getattr(user, "_amparo_second_factor", _UNKNOWN)
    if cached is not _UNKNOWN:
        return cached
    if has_app(user):
        step = VERIFY
    elif user.must_set_up_second_factor or access.two_factor_required(user):
        step = SETUP
    else:
        step = None
    user._amparo_second_factor = step
    return step
