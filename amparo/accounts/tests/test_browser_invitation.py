"""Inviting a coordinator in a real browser (phone-sized), by keyboard: a program admin
invites a coordinator for Ucayali from the people page; the coordinator opens the link
from the e-mail, chooses a password and signs in, seeing Ucayali and not Loreto. No
``/admin/`` anywhere."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from amparo.accounts.models import Invitation, Membership, Role
from amparo.conftest import browser_login

pytestmark = pytest.mark.browser

PASSWORD = "Selva-Clara-2026"


def _fits_the_phone(page) -> bool:
    """Nothing wider than the 390 px screen (wide tables scroll inside their own box)."""
    return page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_admin_invites_a_coordinator_who_sets_a_password_and_signs_in(browser_page, world):
    page = browser_page
    browser_login(page, "admin")
    # The menu groups links by task: open the group that holds People first.
    people = "nav a[href='/accounts/people/']"
    page.locator("nav details", has=page.locator("a[href='/accounts/people/']")).locator(
        "summary"
    ).click()
    with page.expect_navigation():
        page.click(people)
    assert page.locator("h1").inner_text() == "Personas"
    assert _fits_the_phone(page)
    with page.expect_navigation():
        page.click("a[href='/accounts/invitations/new/']")
    assert _fits_the_phone(page)
    page.fill("#id_email", "lucia.coord@example.org")
    page.fill("#id_first_name", "Lucía")
    page.fill("#id_last_name", "Vela")
    page.select_option("#id_role", Role.COORDINATOR)
    page.select_option("#id_region", str(world.region_b.pk))
    with page.expect_navigation():
        page.press("#id_last_name", "Enter")
    assert "lucia.coord@example.org" in page.inner_text(".messages")
    assert "lucia.coord@example.org" in page.inner_text("main")  # an open invitation
    assert _fits_the_phone(page)
    assert "/admin/" not in page.url

    invitation = Invitation.objects.get()
    assert invitation.accepted_at is None
    message = mail.outbox[-1]
    assert message.to == ["lucia.coord@example.org"]
    link = re.search(r"https?://\S+/accounts/invitation/\S+/", message.body).group(0)
    assert link.startswith(page.base_url)

    page.locator("form[action='/accounts/logout/'] button").click()
    page.goto(link)
    assert "lucia.coord@example.org" in page.inner_text("main")
    assert _fits_the_phone(page)
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    with page.expect_navigation(url="**/accounts/login/"):
        page.press("#id_new_password2", "Enter")
    assert "lucia.coord@example.org" in page.inner_text(".messages")

    page.fill("#id_username", "lucia.coord@example.org")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation(url=page.base_url + "/"):
        page.press("#id_password", "Enter")
    assert page.locator("a[href='/regions/PE-UCA/']").count() >= 1
    assert page.locator("a[href='/regions/PE-LOR/']").count() == 0
    # A coordinator manages the people of their region: the menu links the page.
    assert page.locator("nav a[href='/accounts/people/']").count() == 1
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    assert list(Membership.objects.filter(user=invitation.user).values_list("role", "region")) == [
        (Role.COORDINATOR, world.region_b.pk)
    ]
    # The link worked once.
    page.goto(link)
    assert page.locator("h1").inner_text() == "Este enlace ya no funciona"
