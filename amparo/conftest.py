"""The shared test base: two regions and a user of every role, reused by every view test.

Region A is Loreto, region B is Ucayali. The focal point holds tourism (TUR) in A; the
viewer sees A only; the outsider has no membership at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from amparo.accounts.models import Membership, Role, User
from amparo.territory.models import Region, Sector

ROLES = ("admin", "coordinator", "focal", "viewer", "outsider")


@dataclass
class World:
    region_a: Region
    region_b: Region
    sector: Sector
    other_sector: Sector
    users: dict[str, User]

    def client(self, role: str | None) -> Client:
        """A logged-in client for ``role`` (anonymous for None), Spanish by default."""
        client = Client()
        if role is not None:
            client.force_login(self.users[role])
        return client


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    # argon2 is the real hasher (tested in accounts); tests only need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_world() -> World:
    region_a = Region.objects.create(code="PE-LOR", name="Loreto", capital="Iquitos", country="PE")
    region_b = Region.objects.create(
        code="PE-UCA", name="Ucayali", capital="Pucallpa", country="PE"
    )
    sector = Sector.objects.create(code="TUR", name_es="Turismo", name_en="Tourism", country="PE")
    other = Sector.objects.create(
        code="EDU", name_es="Educación", name_en="Education", country="PE"
    )
    users = {
        name: User.objects.create_user(username=name, password="x-Pass-12345") for name in ROLES
    }
    Membership.objects.create(user=users["admin"], role=Role.PROGRAM_ADMIN)
    Membership.objects.create(user=users["coordinator"], role=Role.COORDINATOR, region=region_a)
    Membership.objects.create(
        user=users["focal"], role=Role.FOCAL_POINT, region=region_a, sector=sector
    )
    Membership.objects.create(user=users["viewer"], role=Role.VIEWER, region=region_a)
    return World(region_a, region_b, sector, other, users)


@pytest.fixture
def world(db: None) -> World:
    return make_world()
