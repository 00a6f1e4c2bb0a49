"""Password reset by e-mail (no way to tell which addresses have accounts) and password
change for signed-in people."""

from __future__ import annotations

import re

from django.core import mail
from django.test import Client
from django.urls import reverse

PASSWORD = "x-Pass-12345"
NEW_PASSWORD = "río-Amazonas-2031"


def _reset_link(message: mail.EmailMessage) -> str:
    found = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body)
    assert found, message.body
    return found.group(1)


def test_the_login_page_links_to_the_password_reset(db) -> None:
    assert reverse("password-reset") in Client().get(reverse("login")).text


def test_a_reset_link_is_mailed_and_sets_a_new_password(world) -> None:
    user = world.users["coordinator"]
    user.email = "coordinacion@example.org"
    user.save(update_fields=["email"])
    client = Client()
    response = client.post(reverse("password-reset"), {"email": "Coordinacion@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("password-reset-sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["coordinacion@example.org"]
    assert "amparo" in message.subject
    assert "coordinator" in message.body

    link = client.get(_reset_link(message))
    assert link.status_code == 302  # Django moves the token out of the address first
    form = client.get(link.url)
    assert form.status_code == 200
    assert form.context["validlink"]
    done = client.post(link.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done.url == reverse("password-reset-done")
    assert client.get(done.url).status_code == 200

    assert Client().login(username="coordinator", password=NEW_PASSWORD)
    assert not Client().login(username="coordinator", password=PASSWORD)
    # The link works once.
    again = Client().get(_reset_link(message), follow=True)
    assert not again.context["validlink"]


def test_the_new_password_must_follow_the_rules(world) -> None:
    user = world.users["viewer"]
    user.email = "visor@example.org"
    user.save(update_fields=["email"])
    client = Client()
    client.post(reverse("password-reset"), {"email": "visor@example.org"})
    link = client.get(_reset_link(mail.outbox[0]))
    refused = client.post(link.url, {"new_password1": "short", "new_password2": "short"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["new_password2"]
    assert Client().login(username="viewer", password=PASSWORD)


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(world) -> None:
    user = world.users["viewer"]
    user.email = "visor@example.org"
    user.save(update_fields=["email"])
    known = Client().post(reverse("password-reset"), {"email": "visor@example.org"}, follow=True)
    unknown = Client().post(reverse("password-reset"), {"email": "nadie@example.org"}, follow=True)
    assert len(mail.outbox) == 1
    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200

    def page(response) -> str:
        # The CSRF token differs between any two responses; nothing else may.
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.text)

    assert page(known) == page(unknown)


def test_the_reset_mail_follows_the_chosen_language(world) -> None:
    user = world.users["viewer"]
    user.email = "visor@example.org"
    user.save(update_fields=["email"])
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("password-reset"), {"email": "visor@example.org"})
    assert "To choose a new password, open this link:" in mail.outbox[0].body


def test_a_tampered_link_is_refused(world) -> None:
    response = Client().get(
        reverse("password-reset-confirm", kwargs={"uidb64": "MQ", "token": "x-y"})
    )
    assert response.status_code == 200
    assert not response.context["validlink"]


def test_a_signed_in_person_changes_their_password_and_stays_signed_in(world) -> None:
    client = world.client("admin")
    refused = client.post(
        reverse("password-change"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert refused.status_code == 200
    assert refused.context["form"].errors["old_password"]
    response = client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.url == reverse("password-change-done")
    # Still signed in, and still past the second factor.
    assert client.get(reverse("change-log")).status_code == 200
    assert Client().login(username="admin", password=NEW_PASSWORD)


def test_reset_mails_are_throttled_per_address_and_per_client_with_the_same_answer(world) -> None:
    user = world.users["viewer"]
    user.email = "visor@example.org"
    user.save(update_fields=["email"])
    client = Client()
    answers = [
        client.post(reverse("password-reset"), {"email": "visor@example.org"}) for _ in range(5)
    ]
    assert {(a.status_code, a.url) for a in answers} == {(302, reverse("password-reset-sent"))}
    assert len(mail.outbox) == 3  # RESET_MAILS_PER_ADDRESS
    for n in range(6):  # other addresses from the same client, up to its limit of 10
        client.post(reverse("password-reset"), {"email": f"nadie{n}@example.org"})
    other = world.users["focal"]
    other.email = "enlace@example.org"
    other.save(update_fields=["email"])
    refused = client.post(reverse("password-reset"), {"email": "enlace@example.org"})
    assert refused.url == reverse("password-reset-sent") and len(mail.outbox) == 3
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    elsewhere.post(reverse("password-reset"), {"email": "enlace@example.org"})
    assert len(mail.outbox) == 4


def test_behind_the_proxy_limits_key_on_the_address_the_proxy_saw(settings) -> None:
    from django.test import RequestFactory

    from amparo.accounts.client import client_address

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4"
    )
    settings.BEHIND_PROXY = False
    assert client_address(request) == "10.0.0.2"  # a header anyone can send counts for nothing
    settings.BEHIND_PROXY = True
    assert client_address(request) == "198.51.100.4"  # appended by the proxy; the rest forgeable
