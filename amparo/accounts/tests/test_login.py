from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse


def test_it_serves_the_login_page_in_spanish_by_default(db) -> None:
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "es"
    assert "Iniciar sesión" in response.text


def test_it_switches_to_english_and_remembers_it(db) -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    page = client.get(reverse("login"))
    assert page.headers["Content-Language"] == "en"
    assert "Sign in" in page.text
    assert "Iniciar sesión" not in page.text


def test_it_signs_in_and_out(world) -> None:
    client = Client()
    response = client.post(
        reverse("login"), {"username": "coordinator", "password": "x-Pass-12345"}
    )
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_it_refuses_a_wrong_password_with_a_message(world) -> None:
    response = Client().post(reverse("login"), {"username": "coordinator", "password": "nope"})
    assert response.status_code == 200
    assert "no coinciden" in response.text


def test_it_sends_anonymous_visitors_to_login(db) -> None:
    response = Client().get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hashes_passwords_with_argon2() -> None:
    # The test run swaps in a fast hasher; the project's own setting must stay argon2.
    from amparo import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTH_USER_MODEL == "accounts.User"


def test_it_stays_in_spanish_for_an_english_browser_until_the_person_switches(db) -> None:
    client = Client(headers={"accept-language": "en-US,en;q=0.9"})
    assert "Iniciar sesión" in client.get(reverse("login")).text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Sign in" in client.get(reverse("login")).text


def test_a_session_ends_after_eight_hours_or_when_the_browser_closes(world) -> None:
    from amparo import settings as project_settings

    assert project_settings.SESSION_COOKIE_AGE == 8 * 3600
    assert project_settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    client = Client()
    response = client.post(
        reverse("login"), {"username": "coordinator", "password": "x-Pass-12345"}
    )
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["max-age"] and not cookie["expires"]  # gone with the browser
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 8 * 3600  # and ended on the server


def test_the_username_is_the_same_in_any_capitals(world) -> None:
    client = Client()
    response = client.post(reverse("login"), {"username": "Viewer", "password": "x-Pass-12345"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(world.users["viewer"].pk)


def test_two_accounts_told_apart_only_by_capitals_sign_in_exactly(world) -> None:
    from amparo.accounts.models import User

    upper = User.objects.create_user(username="VIEWER", password="y-Pass-67890")
    client = Client()
    response = client.post(reverse("login"), {"username": "VIEWER", "password": "y-Pass-67890"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(upper.pk)
    wrong = Client().post(reverse("login"), {"username": "Viewer", "password": "y-Pass-67890"})
    assert wrong.status_code == 200  # neither account is "Viewer": no one is signed in
