"""``amparo load-catalog`` and ``amparo demo`` can run any number of times."""

from __future__ import annotations

import base64
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp

from amparo.accounts.models import Membership, User
from amparo.territory.models import Contact, Organization, Region, Sector


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Region, Sector, Organization, Contact, User, Membership)
    )


def test_load_catalog_loads_the_five_regions_and_eleven_sectors_once(db) -> None:
    out = StringIO()
    call_command("load_catalog", stdout=out)
    assert (
        "playbooks 1, policies 2, policy_entries 13, questionnaires 11, regions 5, sectors 11, "
        "stages 4, threats " in out.getvalue()
    )
    call_command("load_catalog", stdout=(second := StringIO()))
    assert "created none; updated none" in second.getvalue()
    assert Region.objects.count() == 5
    assert Sector.objects.count() == 11
    assert Region.objects.get(code="PE-SAM").capital == "Moyobamba"
    assert not Sector.objects.get(code="PRO").verified


def test_load_catalog_repairs_a_changed_catalog_row(db) -> None:
    call_command("load_catalog", stdout=StringIO())
    Region.objects.filter(code="PE-LOR").update(capital="wrong")
    call_command("load_catalog", stdout=(out := StringIO()))
    assert "updated regions 1" in out.getvalue()
    assert Region.objects.get(code="PE-LOR").capital == "Iquitos"


def test_load_catalog_names_an_unknown_pack(db) -> None:
    with pytest.raises(CommandError, match="unknown pack"):
        call_command("load_catalog", pack=["xx"])


def test_demo_is_idempotent_and_marks_its_data(db, settings, media_root) -> None:
    settings.DEBUG = True
    call_command("demo", stdout=(out := StringIO()))
    first = _counts()
    call_command("demo", stdout=StringIO())
    assert _counts() == first
    assert "demo-admin" in out.getvalue() and "demo-visor" in out.getvalue()
    assert Organization.objects.filter(is_demo=False).count() == 0
    assert all("(demo)" in o.name for o in Organization.objects.all())
    assert Contact.objects.filter(is_demo=False).count() == 0
    assert set(Membership.objects.values_list("role", flat=True)) == {
        "admin",
        "coordinator",
        "focal_point",
        "viewer",
    }
    assert Organization.objects.filter(region__code="PE-MDD", kind="fraternity").count() == 1


def test_demo_refuses_to_run_in_production_unless_asked(db, settings, media_root) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is false"):
        call_command("demo", stdout=StringIO())
    assert User.objects.count() == 0
    call_command("demo", allow_production=True, stdout=StringIO())
    assert User.objects.filter(username="demo-admin").exists()


def test_demo_users_can_sign_in_with_the_printed_password(db, settings, client, media_root) -> None:
    settings.DEBUG = True
    call_command("demo", stdout=StringIO())
    assert client.login(username="demo-coordinador", password="amparo-demo")


def test_the_demo_admin_signs_in_with_the_printed_key(db, settings, client, media_root) -> None:
    settings.DEBUG = True
    call_command("demo", stdout=StringIO())
    call_command("demo", stdout=(out := StringIO()))  # a second run resets the same device
    key = re.search(r"demo-admin also needs a code: add the key ([A-Z2-7]+)", out.getvalue())
    assert key
    code = f"{totp(base64.b32decode(key.group(1))):06d}"
    client.post("/accounts/login/", {"username": "demo-admin", "password": "amparo-demo"})
    assert client.get("/").status_code == 302
    assert client.post("/accounts/two-factor/verify/", {"code": code}).status_code == 302
    assert client.get("/").status_code == 200
