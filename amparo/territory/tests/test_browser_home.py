"""The home page over the demo data, in a real browser, for each role on a phone and on a
laptop: the menu fits above the work, opens by keyboard, and the map is there. Screenshots
go to /tmp/amparo-shots/ for review."""

from __future__ import annotations

import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from amparo.conftest import browser_login

pytestmark = pytest.mark.browser

SHOTS = Path(tempfile.gettempdir()) / "amparo-shots"
ROLES = ("demo-admin", "demo-coordinador", "demo-enlace", "demo-visor")
SIZES = {"phone": (390, 844), "laptop": (1366, 800)}


def test_each_role_opens_the_home_on_a_phone_and_a_laptop(browser_page, media_root):
    call_command("demo", allow_production=True, stdout=StringIO())
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = browser_page
    for username in ROLES:
        page.context.clear_cookies()
        page.set_viewport_size({"width": 390, "height": 844})
        browser_login(page, username, "amparo-demo")
        for size, (width, height) in SIZES.items():
            page.set_viewport_size({"width": width, "height": height})
            page.goto(page.base_url + "/")
            # The menu's groups end within the first screen; the work starts below them.
            menu = page.locator("nav.menu").bounding_box()
            assert menu["y"] + menu["height"] < height / 2, (username, size)
            assert page.locator("#needs-you").is_visible()
            assert page.locator("figure.tilemap > svg").count() == 2
            assert page.locator(".map-table tbody tr").count() >= 1
            page.screenshot(path=str(SHOTS / f"home-{username}-{size}.png"), full_page=True)
        # A menu group opens by keyboard, without JavaScript of its own.
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(page.base_url + "/")
        page.focus("nav.menu summary")
        page.keyboard.press("Enter")
        assert page.locator("nav.menu details").first.get_attribute("open") is not None
        assert page.locator("nav.menu details a").first.is_visible()
        page.screenshot(path=str(SHOTS / f"home-{username}-phone-menu.png"))
