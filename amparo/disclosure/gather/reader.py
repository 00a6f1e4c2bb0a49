"""The reader an audit is about, and a client that gets the outputs as they do.

A person (``--user``) is used as they are. A synthetic member (``--role viewer --region
PE-LOR``) and the public of donor reports are made inside a transaction that is rolled
back when the audit is done: nothing about them is kept.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template import Template
from django.test import Client
from django.test.utils import instrumented_test_render
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts import access
from amparo.accounts.models import Membership, Role, User
from amparo.territory.models import Region

SYNTHETIC = "disclosure-audit-reader"


class ReaderError(ValueError):
    """The reader asked for does not exist or makes no sense (unknown user, role, region)."""


@dataclass(frozen=True)
class Reader:
    label: str  # "demo-visor", "viewer PE-LOR", "donors and public"
    user: User
    donor: bool
    k: int


def k_for(*, donor: bool) -> int:
    if donor:
        return int(getattr(settings, "AMPARO_DISCLOSURE_K_PUBLIC", 11))
    return int(getattr(settings, "AMPARO_DISCLOSURE_K", 5))


@contextlib.contextmanager
def reader_for(
    *, username: str = "", role: str = "", region: str = "", donor: bool = False
) -> Iterator[Reader]:
    """The reader, valid inside the block; a synthetic one is undone at its end."""
    with transaction.atomic():
        try:
            if username:
                user = User.objects.filter(username=username, is_active=True).first()
                if user is None:
                    raise ReaderError(f"no active user {username!r}")
                yield Reader(username, user, donor, k_for(donor=donor))
            elif donor:
                user = _synthetic(Role.PROGRAM_ADMIN, None)
                yield Reader("donors and public", user, True, k_for(donor=True))
            else:
                if role not in Role.values:
                    raise ReaderError(f"unknown role {role!r} (one of {', '.join(Role.values)})")
                found = Region.objects.filter(code=region.upper()).first() if region else None
                if region and found is None:
                    raise ReaderError(f"no region {region!r}")
                user = _synthetic(role, found)
                label = f"{role} {found.code if found else '*'}"
                yield Reader(label, user, False, k_for(donor=False))
        finally:
            transaction.set_rollback(True)


def _synthetic(role: str, region: Region | None) -> User:
    user = User.objects.create(username=SYNTHETIC, first_name="Disclosure audit")
    sector = None
    if role == Role.FOCAL_POINT:
        from amparo.territory.models import Sector

        sector = Sector.objects.order_by("code").first()
    Membership.objects.create(user=user, role=role, region=region, sector=sector)
    return user


@contextlib.contextmanager
def client_for(reader: Reader) -> Iterator[Client]:
    """A client signed in as the reader, in English (figures parse one way), through every
    middleware; the templates' contexts are kept on responses (``response.context``) as in
    tests, so a page's charts can be read from the series they are drawn from."""
    host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h not in ("*", "")), "testserver")
    client = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="en", secure=True)
    client.force_login(reader.user)
    device = TOTPDevice.objects.filter(user=reader.user, confirmed=True).first()
    session = client.session
    if device is not None:  # the code was given, as after signing in
        session["otp_device_id"] = device.persistent_id
    session["django_language"] = "en"
    session.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    original = Template._render
    Template._render = instrumented_test_render
    try:
        yield client
    finally:
        Template._render = original


def visible_regions(reader: Reader) -> list[Region]:
    return list(access.regions_visible(reader.user).order_by("code"))
