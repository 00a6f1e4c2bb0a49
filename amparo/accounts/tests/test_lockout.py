"""Repeated failed sign-ins lock the username for a while, even with the right password."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_five_failures_lock_the_account_from_that_address(world, settings) -> None:
    settings.AXES_ENABLED = True
    client = Client()
    for _ in range(5):
        response = client.post(reverse("login"), {"username": "coordinator", "password": "wrong"})
    assert response.status_code in (200, 429)
    locked = client.post(reverse("login"), {"username": "coordinator", "password": "x-Pass-12345"})
    assert locked.status_code == 429
    assert "bloqueado" in locked.content.decode() or "locked" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client().post(reverse("login"), {"username": "viewer", "password": "x-Pass-12345"})
    assert other.status_code == 302  # another username is not locked


def test_a_success_resets_the_count(world, settings) -> None:
    settings.AXES_ENABLED = True
    client = Client()
    for _ in range(4):
        client.post(reverse("login"), {"username": "viewer", "password": "wrong"})
    assert (
        client.post(
            reverse("login"), {"username": "viewer", "password": "x-Pass-12345"}
        ).status_code
        == 302
    )
    client.post(reverse("logout"))
    for _ in range(4):
        client.post(reverse("login"), {"username": "viewer", "password": "wrong"})
    assert (
        client.post(
            reverse("login"), {"username": "viewer", "password": "x-Pass-12345"}
        ).status_code
        == 302
    )


def test_other_capitals_give_no_fresh_attempts(world, settings) -> None:
    settings.AXES_ENABLED = True
    client = Client()
    for name in ("coordinator", "Coordinator", "COORDINATOR", "coordinatoR", "CoOrdinator"):
        client.post(reverse("login"), {"username": name, "password": "wrong"})
    locked = client.post(reverse("login"), {"username": "Coordinator", "password": "x-Pass-12345"})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
