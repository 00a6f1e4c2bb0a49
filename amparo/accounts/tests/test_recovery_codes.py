"""Recovery codes: shown once when two-factor sign-in is set up, each signs in once in place
of the phone, new ones replace the old, and turning two-factor off removes them."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from amparo.accounts import services
from amparo.conftest import totp_code

PASSWORD = "x-Pass-12345"


def _sign_in(username: str) -> Client:
    client = Client()
    assert (
        client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def _set_up(client: Client, user) -> list[str]:
    client.get(reverse("otp-setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page = client.post(reverse("otp-setup"), {"code": totp_code(device), "next": "/"})
    assert page.status_code == 200
    return page.context["codes"]


def test_set_up_shows_ten_codes_once_and_each_signs_in_once(world) -> None:
    codes = _set_up(world.client("viewer"), world.users["viewer"])
    assert len(set(codes)) == 10 and all(services.is_recovery_code(c) for c in codes)
    later = _sign_in("viewer")
    assert later.get(reverse("home")).url.startswith(reverse("otp-verify"))
    used = later.post(reverse("otp-verify"), {"code": codes[0].upper(), "next": "/"}, follow=True)
    assert used.status_code == 200 and used.request["PATH_INFO"] == "/"
    assert "9" in str(next(iter(used.context["messages"])))
    assert services.recovery_codes_left(user=world.users["viewer"]) == 9

    again = _sign_in("viewer")
    refused = again.post(reverse("otp-verify"), {"code": codes[0], "next": "/"})
    assert refused.status_code == 200 and refused.context["form"].errors["code"]
    assert again.get(reverse("home")).status_code == 302


def test_new_codes_replace_the_old_ones_and_only_a_verified_session_gets_them(world) -> None:
    client = world.client("coordinator")
    old = _set_up(client, world.users["coordinator"])
    page = client.get(reverse("otp-recovery-codes"))
    assert page.status_code == 200 and page.context["left"] == 10
    new = client.post(reverse("otp-recovery-codes")).context["codes"]
    assert set(new).isdisjoint(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    # Past the password only, the page is out of reach: the codes stand in for the phone.
    half = _sign_in("coordinator")
    assert half.post(reverse("otp-recovery-codes")).url.startswith(reverse("otp-verify"))
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert half.post(reverse("otp-verify"), {"code": old[0], "next": "/"}).status_code == 200
    # (a wrong code makes the next check wait a second; not what this test is about)
    StaticDevice.objects.update(throttling_failure_count=0, throttling_failure_timestamp=None)
    assert half.post(reverse("otp-verify"), {"code": new[0], "next": "/"}).status_code == 302


def test_turning_two_factor_off_removes_the_codes(world) -> None:
    client = world.client("viewer")
    _set_up(client, world.users["viewer"])
    device = TOTPDevice.objects.get(user=world.users["viewer"])
    response = client.post(reverse("otp-disable"), {"code": totp_code(device, steps_ahead=1)})
    assert response.status_code == 302
    assert not StaticDevice.objects.filter(user=world.users["viewer"]).exists()
    assert _sign_in("viewer").get(reverse("home")).status_code == 200


def test_moving_to_a_new_phone_keeps_the_codes(world) -> None:
    client = world.client("admin")
    codes = services.recovery_codes_issue(user=world.users["admin"])
    client.get(reverse("otp-setup"))
    device = TOTPDevice.objects.get(user=world.users["admin"], confirmed=False)
    moved = client.post(reverse("otp-setup"), {"code": totp_code(device), "next": "/"})
    assert moved.status_code == 302
    assert services.recovery_codes_left(user=world.users["admin"]) == len(codes)


def test_codes_and_app_codes_are_told_apart() -> None:
    assert services.is_recovery_code("abcd2345") and services.is_recovery_code("ABCD 2345")
    assert not services.is_recovery_code("123456") and not services.is_recovery_code("abcd1890")
