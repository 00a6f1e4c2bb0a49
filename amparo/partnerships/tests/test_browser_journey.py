"""The partnerships journey in a real browser (phone-sized): a meeting logged with a next
step shows on the owner's "my tasks", marked overdue, until it is done."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from amparo.conftest import browser_login
from amparo.partnerships.models import NextStep

pytestmark = pytest.mark.browser


def test_a_next_step_from_a_meeting_waits_on_my_tasks_until_done(browser_page, world):
    page = browser_page
    coordinator = world.users["coordinator"]
    yesterday = timezone.localdate() - timedelta(days=1)
    browser_login(page, "coordinator")
    page.click("a[href='/regions/PE-LOR/']")
    page.click("a[href='/regions/PE-LOR/meetings/']")
    page.fill("#id_held_on", (yesterday - timedelta(days=6)).isoformat())
    page.fill("#id_place", "Gobierno Regional, Iquitos")
    page.fill("#id_purpose", "Presentar la estrategia a la gerencia de desarrollo social")
    page.fill("#id_step1", "Enviar el borrador de ordenanza")
    page.select_option("#id_owner1", str(coordinator.pk))
    page.fill("#id_due1", yesterday.isoformat())
    with page.expect_navigation():
        page.press("#id_step1", "Enter")
    step = NextStep.objects.get()
    assert (step.owner, step.due_on, step.done_on) == (coordinator, yesterday, None)
    assert "Enviar el borrador de ordenanza" in page.inner_text("article.card")

    tasks = "nav a[href='/my/tasks/']"
    page.locator("nav details", has=page.locator("a[href='/my/tasks/']")).locator("summary").click()
    page.click(tasks)
    row = page.locator("main tbody tr", has_text="Enviar el borrador de ordenanza")
    assert row.locator(".badge.bad").count() == 1  # overdue
    row.locator("button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()
    assert page.locator("main tbody tr").count() == 0
