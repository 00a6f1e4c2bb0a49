"""Two-factor sign-in: required for program admins, optional for others, enforced on every
page once a person has a device."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts.models import User
from amparo.api.services import token_create
from amparo.conftest import totp_code

PASSWORD = "x-Pass-12345"


def _sign_in(username: str) -> Client:
    """A client past the password step only."""
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _device(user: User, *, confirmed: bool = True) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=confirmed)


def _unthrottle(device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()


@pytest.fixture
def admin_without_device(world) -> User:
    admin = world.users["admin"]
    TOTPDevice.objects.filter(user=admin).delete()
    return admin


def test_an_admin_without_a_device_is_sent_to_set_up_and_reaches_no_page(
    world, admin_without_device
) -> None:
    client = _sign_in("admin")
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home.url == reverse("otp-setup") + "?next=%2F"
    for name in ("program", "change-log", "api-tokens", "account-security", "password-change"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("otp-setup")), name
    assert client.post(reverse("planner")).url == reverse("otp-setup")
    assert client.get(reverse("admin:index")).url.startswith(reverse("otp-setup"))
    assert client.get(reverse("otp-verify")).url.startswith(reverse("otp-setup"))
    assert client.get("/api/v1/regions").status_code == 401
    # The language switch and signing out stay open.
    assert client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302


def test_setting_up_needs_a_correct_code_before_the_device_counts(
    world, admin_without_device
) -> None:
    client = _sign_in("admin")
    page = client.get(reverse("otp-setup") + "?next=/program/")
    assert page.status_code == 200
    assert "<svg" in page.text and "<path" in page.text
    device = TOTPDevice.objects.get(user=admin_without_device)
    assert not device.confirmed
    assert page.context["secret"].replace(" ", "") in device.config_url
    assert client.get(reverse("otp-setup")).context["secret"] == page.context["secret"]

    wrong = f"{(int(totp_code(device)) + 1) % 1_000_000:06d}"
    refused = client.post(reverse("otp-setup"), {"code": wrong, "next": "/program/"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["code"]
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("home")).status_code == 302

    _unthrottle(device)
    done = client.post(reverse("otp-setup"), {"code": totp_code(device), "next": "/program/"})
    # The first set-up shows the recovery codes once, then goes on to where the admin was.
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert 'href="/program/"' in done.text
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("change-log")).status_code == 200


def test_after_the_password_a_user_with_a_device_must_give_a_code(world) -> None:
    device = _device(world.users["coordinator"])
    client = _sign_in("coordinator")
    response = client.get(reverse("region-detail", kwargs={"code": "PE-LOR"}))
    assert response.status_code == 302
    assert response.url == reverse("otp-verify") + "?next=%2Fregions%2FPE-LOR%2F"
    page = client.get(response.url)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.text
    assert reverse("program") not in page.text  # no menu before the code

    refused = client.post(reverse("otp-verify"), {"code": "000000", "next": "/regions/PE-LOR/"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["code"]
    assert client.get(reverse("home")).status_code == 302

    _unthrottle(device)
    verified = client.post(
        reverse("otp-verify"), {"code": totp_code(device), "next": "/regions/PE-LOR/"}
    )
    assert verified.status_code == 302
    assert verified.url == "/regions/PE-LOR/"
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("otp-verify")).status_code == 302  # nothing owed any more


def test_a_used_code_is_not_accepted_twice(world) -> None:
    device = _device(world.users["viewer"])
    code = totp_code(device)
    first = _sign_in("viewer")
    assert first.post(reverse("otp-verify"), {"code": code}).status_code == 302
    second = _sign_in("viewer")
    assert second.post(reverse("otp-verify"), {"code": code}).status_code == 200
    assert second.get(reverse("home")).status_code == 302


def test_wrong_codes_are_throttled_even_before_a_right_one(world) -> None:
    device = _device(world.users["focal"])
    client = _sign_in("focal")
    for _ in range(3):
        client.post(reverse("otp-verify"), {"code": "000000"})
    device.refresh_from_db()
    assert device.throttling_failure_count >= 1
    refused = client.post(reverse("otp-verify"), {"code": totp_code(device)})
    assert refused.status_code == 200
    assert "Espere" in refused.text or "Wait" in refused.text
    assert client.get(reverse("home")).status_code == 302
    # Once the wait is over the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(hours=1)
    )
    assert client.post(reverse("otp-verify"), {"code": totp_code(device)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("role", ["viewer", "coordinator", "outsider"])
def test_people_without_a_device_sign_in_with_the_password_alone(world, role) -> None:
    client = _sign_in(role)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("account-security")).status_code == 200


def test_a_device_cannot_be_replaced_before_giving_a_code(world) -> None:
    device = _device(world.users["coordinator"])
    client = _sign_in("coordinator")
    response = client.get(reverse("otp-setup"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("otp-verify"))
    assert client.post(reverse("otp-setup"), {"code": "123456"}).status_code == 302
    assert list(TOTPDevice.objects.filter(user=world.users["coordinator"])) == [device]


def test_a_verified_admin_moves_to_a_new_phone(world) -> None:
    admin = world.users["admin"]
    old = TOTPDevice.objects.get(user=admin)
    client = world.client("admin")
    assert client.get(reverse("otp-setup")).status_code == 200
    new = TOTPDevice.objects.get(user=admin, confirmed=False)
    response = client.post(reverse("otp-setup"), {"code": totp_code(new)})
    assert response.status_code == 200 and response.context["codes"]  # had none yet
    assert list(TOTPDevice.objects.filter(user=admin)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
    assert client.get(reverse("change-log")).status_code == 200  # still verified


def test_program_admins_cannot_turn_two_factor_off(world) -> None:
    client = world.client("admin")
    device = TOTPDevice.objects.get(user=world.users["admin"])
    assert client.get(reverse("otp-disable")).status_code == 403
    assert client.post(reverse("otp-disable"), {"code": totp_code(device)}).status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert reverse("otp-disable") not in client.get(reverse("account-security")).text


def test_others_turn_it_off_with_a_current_code(world) -> None:
    device = _device(world.users["viewer"])
    client = world.client("viewer")
    assert reverse("otp-disable") in client.get(reverse("account-security")).text
    refused = client.post(reverse("otp-disable"), {"code": "12ab"})
    assert refused.status_code == 200
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    response = client.post(reverse("otp-disable"), {"code": totp_code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.users["viewer"]).exists()
    assert client.get(reverse("home")).status_code == 200
    assert _sign_in("viewer").get(reverse("home")).status_code == 200


def test_a_viewer_turns_two_factor_on_and_then_needs_it(world) -> None:
    client = world.client("viewer")
    client.get(reverse("otp-setup"))
    device = TOTPDevice.objects.get(user=world.users["viewer"])
    assert client.post(reverse("otp-setup"), {"code": totp_code(device)}).status_code == 200
    later = _sign_in("viewer")
    assert later.get(reverse("home")).url.startswith(reverse("otp-verify"))


def test_the_code_page_sends_only_to_pages_of_this_site(world) -> None:
    device = _device(world.users["viewer"])
    client = _sign_in("viewer")
    response = client.post(
        reverse("otp-verify"), {"code": totp_code(device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_api_sessions_need_the_code_but_tokens_do_not(world) -> None:
    unverified = _sign_in("admin")
    assert unverified.get("/api/v1/regions").status_code == 401
    assert world.client("admin").get("/api/v1/regions").status_code == 200
    token = token_create(user=world.users["admin"], name="bi", read_only=True)
    bearer = Client(headers={"Authorization": f"Bearer {token}"})
    assert bearer.get("/api/v1/regions").status_code == 200


def test_superusers_count_as_program_admins_and_need_a_device(world) -> None:
    boss = User.objects.create_user(username="boss", password=PASSWORD, is_superuser=True)
    client = _sign_in(boss.username)
    assert client.get(reverse("home")).url.startswith(reverse("otp-setup"))


def test_the_setup_page_keeps_the_content_security_policy(world, admin_without_device) -> None:
    page = _sign_in("admin").get(reverse("otp-setup"))
    assert "'unsafe-inline'" not in page["Content-Security-Policy"]
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    assert "style=" not in svg and "<script" not in page.text.split("</head>")[1]
