"""The shared test base: two regions and a user of every role, reused by every view test.

Region A is Loreto, region B is Ucayali. The focal point holds tourism (TUR) in A; the
viewer sees A only; the outsider has no membership at all. The admin, like every program
admin, signs in with a second factor: an authenticator device whose codes ``totp_code``
computes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

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
        """A logged-in client for ``role`` (anonymous for None), Spanish by default; a user
        with an authenticator device has given a code in this session."""
        client = Client()
        if role is not None:
            client_login_verified(client, self.users[role])
        return client


def client_login_verified(client: Client, user: User) -> None:
    """Log ``client`` in as ``user`` as after the password and, if they have a device, the
    code: the session holds the device as django-otp's verify step leaves it."""
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def totp_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the device's app shows now (or ``steps_ahead`` time steps later, which the
    device still accepts for one step: a code already used is refused)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead)
    return f"{value:0{device.digits}d}"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: None) -> None:
    """The test database on PostgreSQL commits without waiting for its log to reach the
    disk: what a transaction sees is the same, only a crash of the server could lose the
    last commits, which a throwaway database does not mind. Production keeps the default."""
    from django.conf import settings

    for database in settings.DATABASES.values():
        if database["ENGINE"] == "django.db.backends.postgresql":
            options = database.setdefault("OPTIONS", {})
            options["options"] = f"{options.get('options', '')} -c synchronous_commit=off".strip()


@pytest.fixture(scope="session", autouse=True)
def _flush_only_tables_with_rows() -> Iterator[None]:
    """PostgreSQL empties the database after each transactional test (browser, migration,
    concurrency) with DELETE on the tables that hold rows, instead of Django's TRUNCATE of
    every table: a TRUNCATE of ~120 tables takes seconds here (each table gets new files),
    a DELETE of a few small ones milliseconds. Every table ends up empty either way and the
    sequences are left as they are by both. The foreign keys Django makes on PostgreSQL
    are checked at commit, so the order of the deletes does not matter."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            # Sequences to restart or only some apps' tables: Django's way.
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # Table names from Django's introspection, quoted.
        return [f"DELETE FROM {self.quote_name(t)};" for t in _with_rows(self, tables)]  # noqa: S608

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


def _with_rows(ops, tables: list[str]) -> list[str]:
    """The tables among ``tables`` that hold at least one row, in one query."""
    tables = list(tables)
    exists = " UNION ALL ".join(
        f"SELECT {index} WHERE EXISTS (SELECT 1 FROM {ops.quote_name(table)})"  # noqa: S608
        for index, table in enumerate(tables)
    )
    with ops.connection.cursor() as cursor:
        cursor.execute(exists)
        return [tables[row[0]] for row in cursor.fetchall()]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    # argon2 is the real hasher (tested in accounts); tests only need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Lockouts are tested on their own (test_lockout); elsewhere client.login() is used.
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    # Counts kept in the cache (password-reset throttling) must not leak between tests.
    from django.core.cache import cache

    cache.clear()


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
    TOTPDevice.objects.create(user=users["admin"], name="phone", confirmed=True)
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
    """Sign in through the login page and, for a user with a device, the code page."""
    page.goto(page.base_url + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    device = TOTPDevice.objects.filter(user__username=username, confirmed=True).first()
    if device is not None:
        with page.expect_navigation(url="**/accounts/two-factor/verify/**"):
            page.press("#id_password", "Enter")
        page.fill("#id_code", totp_code(device))
        page.press("#id_code", "Enter")
    else:
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
