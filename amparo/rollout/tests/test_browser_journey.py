"""The church-track journey in a real browser (phone-sized), by keyboard where it matters."""

from __future__ import annotations

import pytest

from amparo.conftest import browser_login
from amparo.rollout.models import Event, Rollout
from amparo.territory.models import Organization

pytestmark = pytest.mark.browser


def test_an_admin_runs_a_region_to_launch_in_the_browser(browser_page, world, playbook, stages):
    page = browser_page
    church = Organization.objects.create(name="Iglesia Uno", kind="church", region=world.region_b)
    browser_login(page, "admin")
    page.click("a[href='/regions/PE-UCA/']")
    page.click("a[href='/regions/PE-UCA/rollouts/new/']")
    page.select_option("#id_playbook", str(playbook.pk))
    page.fill("#id_started_on", "2025-01-06")
    page.click("form.stacked button[type=submit]")
    rollout = Rollout.objects.get(region=world.region_b)
    assert page.url.endswith(f"/regions/PE-UCA/rollouts/{rollout.pk}/")

    dates = {
        "reuniones": ("2025-01-06", "2025-01-07"),
        "conferencia": ("2025-01-29", "2025-01-31"),
        "capacitacion": ("2025-03-03", "2025-03-05"),
        "lanzamiento": ("2025-04-05", "2025-04-05"),
    }
    for code, (start, end) in dates.items():
        page.goto(f"{page.base_url}/regions/PE-UCA/rollouts/{rollout.pk}/")
        page.click(f"a[href$='events/new/?stage={stages[code].pk}']")
        page.fill("#id_starts_on", start)
        page.fill("#id_ends_on", end)
        page.click("form.stacked button[type=submit]")
        page.click("form[action$='/complete/'] button[type=submit]")
        page.wait_for_selector(".messages")
        assert Event.objects.get(rollout=rollout, stage=stages[code]).status == "done"
        if code == "capacitacion":
            page.select_option("#id_organization", str(church.pk))
            page.fill("#id_pastors", "7")
            page.fill("#id_leaders", "2")
            page.click("form.grid-form button[type=submit]")
            page.wait_for_selector("tfoot")

    page.goto(f"{page.base_url}/program/")
    row = page.locator("tr", has_text="Ucayali").first  # the program table, above the map's
    assert "Reunión en toda la ciudad" in row.inner_text()
    assert "7" in row.locator("td.num").first.inner_text()


def test_the_language_switch_works_by_keyboard(browser_page, world):
    page = browser_page
    browser_login(page, "viewer")
    assert page.locator("html").get_attribute("lang") == "es"
    page.focus("button[name=language][value=en]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Sign out" in page.inner_text("header")


def test_pages_raise_no_content_security_policy_violation(browser_page, world, playbook):
    page = browser_page
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    browser_login(page, "admin")
    for path in ("/", "/program/", "/dashboard/", "/regions/PE-LOR/", "/planner/", "/threats/"):
        page.goto(page.base_url + path)
    assert violations == []
