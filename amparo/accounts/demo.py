"""Demo users, one per role. Their passwords are public: the demo never runs in production
unless asked explicitly (see the ``demo`` command).

Program admins must sign in with a second factor, so the demo admin has an authenticator
device whose key is public too (printed by the command, the same in every demo)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts.models import Membership, Role, User
from amparo.accounts.services import totp_secret
from amparo.territory.models import Region, Sector

DEMO_PASSWORD = "amparo-demo"  # noqa: S105 - printed on purpose; demo databases only
# b"amparo-demo-totp-key": base32 MFWXAYLSN4WWIZLNN4WXI33UOAWWWZLZ, public like the password.
DEMO_TOTP_KEY = "616d7061726f2d64656d6f2d746f74702d6b6579"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    description: str
    totp_key: str = ""  # base32, for an authenticator app; empty when no code is needed


@transaction.atomic
def demo_users_create() -> list[DemoLogin]:
    """Create or reset the demo users; returns their logins for printing."""
    loreto = Region.objects.get(code="PE-LOR")
    tourism = Sector.objects.get(code="TUR")
    plan = [
        ("demo-admin", "Admin (demo)", Role.PROGRAM_ADMIN, None, None,
         "program admin, all regions"),
        ("demo-coordinador", "Coordinación Loreto (demo)", Role.COORDINATOR, loreto, None,
         "regional coordinator, Loreto"),
        ("demo-enlace", "Enlace DIRCETUR Loreto (demo)", Role.FOCAL_POINT, loreto, tourism,
         "sector focal point, Loreto / tourism"),
        ("demo-visor", "Visor (demo)", Role.VIEWER, None, None, "viewer, all regions"),
    ]  # fmt: skip
    logins = []
    for username, full_name, role, region, sector, description in plan:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name = full_name
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.get_or_create(user=user, role=role, region=region, sector=sector)
        totp_key = ""
        if role == Role.PROGRAM_ADMIN:
            totp_key = _demo_device_reset(user).replace(" ", "")
        logins.append(DemoLogin(username, DEMO_PASSWORD, description, totp_key))
    return logins


def _demo_device_reset(user: User) -> str:
    """Give ``user`` the one confirmed demo device, fresh (no throttling, no used code)."""
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name="demo (public key)", key=DEMO_TOTP_KEY, confirmed=True
    )
    return totp_secret(device)
