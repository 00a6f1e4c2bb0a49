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
    # Lockouts are tested on their own (test_lockout); elsewhere client.login() is used.
    settings.AXES_ENABLED = False


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


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def browser_page(live_server, transactional_db, monkeypatch):
    """A Playwright page in the system Chromium, pointed at the live test server."""
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install it with 'apt-get install chromium'")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between page actions are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 390, "height": 844})  # a phone
        page.set_default_timeout(15000)
        page.base_url = live_server.url
        yield page
        browser.close()
        # ORM calls made while Playwright's loop runs get connections of their own
        # (asgiref keeps them per context); close them or PostgreSQL cannot drop the test DB.
        from django.db import connections

        connections.close_all()


def browser_login(page, username: str, password: str = "x-Pass-12345") -> None:
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.press("#id_password", "Enter")
    page.wait_for_url(page.base_url + "/")


@pytest.fixture
def starter_catalog(world: World) -> None:
    """The Peru starter catalog (threats, controls, matrix, playbook, indicators) on top
    of the test world's regions and sectors."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_catalog", stdout=StringIO())


@pytest.fixture
def media_root(settings: object, tmp_path: object) -> object:
    """Uploaded and generated files go to a folder of this test only."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
