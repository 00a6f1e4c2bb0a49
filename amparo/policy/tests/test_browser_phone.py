"""The national policy, alignment, disaggregation and DHIS2 pages on a 390 px phone: no
sideways scrolling, and the main controls reached by keyboard."""

from __future__ import annotations

import pytest

from amparo.conftest import browser_login

pytestmark = pytest.mark.browser

PAGES = [
    "/policy/",
    "/policy/alignment/",
    "/regions/PE-LOR/policy-alignment/",
    "/disaggregations/",
    "/dhis2/mapping/",
    "/regions/PE-LOR/indicators/dhis2/",
    "/regions/PE-LOR/indicators/import/dhis2/",
]


def test_the_pages_fit_a_phone_and_work_by_keyboard(browser_page, world, starter_catalog):
    page = browser_page
    browser_login(page, "admin")
    for path in PAGES:
        page.goto(page.base_url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 1, f"{path} scrolls sideways by {overflow}px"
        assert page.locator("h1").count() == 1, path
    # The DHIS2 download form: type a period, choose the format, submit by keyboard.
    page.goto(page.base_url + "/regions/PE-LOR/indicators/dhis2/")
    page.fill("#id_period", "2026Q1")
    page.select_option("#id_format", "csv")
    with page.expect_download() as download:
        page.focus("#id_format")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == "dhis2-PE-LOR-2026Q1.csv"
    # A program admin adds a policy entry by keyboard.
    page.goto(page.base_url + "/policy/PNFTP/entries/new/")
    page.select_option("#id_kind", "guideline")
    page.fill("#id_code", "L2.1")
    page.fill("#id_name_es", "Lineamiento")
    page.focus("#id_name_es")
    with page.expect_navigation():
        page.press("#id_code", "Enter")
    assert "L2.1" in page.content()
