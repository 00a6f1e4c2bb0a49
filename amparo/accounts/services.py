"""Two-factor devices: set one up, check a code, turn it off. One transaction each.

Every code is checked by django-otp's TOTP device, which refuses a code it already
accepted and throttles wrong ones: after n failures in a row it checks nothing for
2^(n-1) seconds (``OTP_TOTP_THROTTLE_FACTOR``), however many requests arrive.
"""

from __future__ import annotations

import math
from base64 import b32encode
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts.models import User


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code: the device that accepted it, or how long to wait first."""

    device: TOTPDevice | None
    wait_seconds: int = 0

    @property
    def accepted(self) -> bool:
        return self.device is not None


def totp_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps ask for it when typed in: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _check(device: TOTPDevice, token: str) -> CodeCheck:
    allowed, _reason = device.verify_is_allowed()
    if allowed and device.verify_token(token.replace(" ", "")):
        return CodeCheck(device)
    allowed, why = device.verify_is_allowed()
    if allowed or not why or "locked_until" not in why:
        return CodeCheck(None)
    wait = (why["locked_until"] - timezone.now()).total_seconds()
    return CodeCheck(None, wait_seconds=max(1, math.ceil(wait)))


@transaction.atomic
def totp_setup_start(*, user: User) -> TOTPDevice:
    """The user's device waiting for its first code, created with a new random key on
    first use; the same one until it is confirmed, so reloading the page keeps the key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_setup_confirm(*, user: User, token: str) -> CodeCheck:
    """Confirm the waiting device with a code from the app. It then replaces any device the
    user had before (a new phone), so exactly one confirmed device remains."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=False)
        .order_by("pk")
        .first()
    )
    if device is None:
        return CodeCheck(None)
    result = _check(device, token)
    if result.accepted:
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return result


@transaction.atomic
def totp_verify(*, user: User, token: str) -> CodeCheck:
    """Check a code against the user's confirmed device."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=True)
        .order_by("pk")
        .first()
    )
    if device is None:
        return CodeCheck(None)
    return _check(device, token)


def totp_disable(*, user: User, token: str) -> CodeCheck:
    """Turn two-factor sign-in off with a current code: every device of the user is removed.
    Callers refuse this to those who must keep it (``access.two_factor_required``)."""
    with transaction.atomic():
        result = totp_verify(user=user, token=token)
        if result.accepted:
            TOTPDevice.objects.filter(user=user).delete()
    return result
