"""Two-factor devices: set one up, check a code, turn it off; recovery codes for a lost
phone. One transaction each.

Every code is checked by a django-otp device, which refuses a code it already accepted and
throttles wrong ones: after n failures in a row it checks nothing for 2^(n-1) seconds
(``OTP_TOTP_THROTTLE_FACTOR``, ``OTP_STATIC_THROTTLE_FACTOR``), however many requests
arrive. Recovery codes are django-otp static tokens: each works once.
"""

from __future__ import annotations

import math
import re
from base64 import b32encode
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts.models import User


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of a code: the device that accepted it, or how long to wait first."""

    device: Device | None
    wait_seconds: int = 0

    @property
    def accepted(self) -> bool:
        return self.device is not None


def totp_secret(device: TOTPDevice) -> str:
    """The key as authenticator apps ask for it when typed in: base32, in groups of four."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


RECOVERY_CODES = 10
# What django-otp's static tokens look like: eight characters of lower-case base32.
RECOVERY_CODE = re.compile(r"[a-z2-7]{8}")


def is_recovery_code(token: str) -> bool:
    return RECOVERY_CODE.fullmatch(token.replace(" ", "").lower()) is not None


def _check(device: Device, token: str) -> CodeCheck:
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
    # Locking the user keeps it to one waiting device when two set-up pages open at once.
    User.objects.select_for_update().filter(pk=user.pk).first()
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
        User.objects.filter(pk=user.pk).update(must_set_up_second_factor=False)
        user.must_set_up_second_factor = False
    return result


@transaction.atomic
def totp_verify(*, user: User, token: str) -> CodeCheck:
    """Check a code against the user's confirmed authenticator app, or a recovery code."""
    device = (
        TOTPDevice.objects.select_for_update()
        .filter(user=user, confirmed=True)
        .order_by("pk")
        .first()
    )
    result = CodeCheck(None)
    if device is not None and token.replace(" ", "").isdigit():
        result = _check(device, token)
    if not result.accepted and not result.wait_seconds and is_recovery_code(token):
        recovery = StaticDevice.objects.select_for_update().filter(user=user).first()
        if recovery is not None:
            result = _check(recovery, token.replace(" ", "").lower())
    return result


@transaction.atomic
def recovery_codes_issue(*, user: User) -> list[str]:
    """New recovery codes for the user, shown once; the ones issued before stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(*, user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_disable(*, user: User, token: str) -> CodeCheck:
    """Turn two-factor sign-in off with a current code: every device of the user is removed,
    recovery codes included. Callers refuse this to those who must keep it
    (``access.two_factor_required``)."""
    with transaction.atomic():
        result = totp_verify(user=user, token=token)
        if result.accepted:
            TOTPDevice.objects.filter(user=user).delete()
            StaticDevice.objects.filter(user=user).delete()
    return result
