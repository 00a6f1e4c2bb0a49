"""Demo users, one per role. Their passwords are public: the demo never runs in production
unless asked explicitly (see the ``demo`` command)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from amparo.accounts.models import Membership, Role, User
from amparo.territory.models import Region, Sector

DEMO_PASSWORD = "amparo-demo"  # noqa: S105 - printed on purpose; demo databases only


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    description: str


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
        user.is_staff = role == Role.PROGRAM_ADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        Membership.objects.get_or_create(user=user, role=role, region=region, sector=sector)
        logins.append(DemoLogin(username, DEMO_PASSWORD, description))
    return logins
