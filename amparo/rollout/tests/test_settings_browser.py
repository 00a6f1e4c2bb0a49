"""The church-track settings in a browser on a 390 px phone: a program admin sets up a
team, travel times (by keyboard, from a pasted block) and a yearly blackout, then the
planner shows them; axe finds no serious problem on the pages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from axe_playwright_python.sync_playwright import Axe

from amparo.conftest import browser_login
from amparo.rollout.models import Blackout, Team, TravelTime
from amparo.territory.models import Region

pytestmark = pytest.mark.browser


def _page_fits_the_phone(page) -> bool:
    """No sideways scrolling of the page itself (a wide table scrolls in its own box)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_an_admin_sets_up_the_planner_settings_on_a_phone(browser_page, world, playbook):
    Region.objects.filter(pk=world.region_a.pk).update(
        capital_latitude=Decimal("-3.73333"), capital_longitude=Decimal("-73.25")
    )
    Region.objects.filter(pk=world.region_b.pk).update(
        capital_latitude=Decimal("-8.38333"), capital_longitude=Decimal("-74.55")
    )
    page, axe = browser_page, Axe()
    browser_login(page, "admin")
    page.goto(page.base_url + "/church-track/settings/")
    page.click('main a[href="/church-track/teams/"]')
    page.click('main a[href="/church-track/teams/new/"]')
    page.fill("#id_code", "norte")
    page.fill("#id_name", "Equipo norte")
    page.check("text=Conferencia de pastores")
    page.select_option("#id_home_region", label="Loreto")
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("text=Equipo guardado.")
    assert Team.objects.get(code="norte").home_region == world.region_a

    # Travel times by keyboard: type a value and press Enter (the form's first button saves).
    page.goto(page.base_url + "/church-track/travel-times/")
    assert _page_fits_the_phone(page)
    page.focus("#d-PE-LOR-PE-UCA")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    page.wait_for_selector("text=Tiempos de viaje guardados: 2.")
    assert sorted(TravelTime.objects.values_list("days", flat=True)) == [4, 4]
    # A pasted block with a bad cell fills the grid and shows the problem; nothing saved.
    page.fill("#paste", "\tLoreto\tUcayali\nLoreto\t0\t99\nUcayali\t99\t0")
    page.click("text=Llenar la matriz con el bloque pegado")
    page.wait_for_selector("td.invalid")
    assert sorted(TravelTime.objects.values_list("days", flat=True)) == [4, 4]
    axe_problems = _serious(axe, page)

    page.goto(page.base_url + "/regions/PE-LOR/blackouts/new/")
    page.fill("#id_first_day", "2027-01-15")
    page.fill("#id_last_day", "2027-03-31")
    page.select_option("#id_kind", "rainy_season")
    page.check("#id_every_year")
    page.click("form.stacked button[type=submit]")
    page.wait_for_selector("table.month-calendar td.blackout")
    assert Blackout.objects.get().every_year
    assert _page_fits_the_phone(page)
    page.click("text=Mes siguiente")
    page.wait_for_url("**month=2027-02")
    assert page.locator("table.month-calendar td.blackout").count() == 28
    axe_problems += _serious(axe, page)

    page.goto(page.base_url + "/planner/")
    uses = page.locator(".planner-uses").inner_text()
    assert "1 equipo" in uses and "Travel" not in uses
    axe_problems += _serious(axe, page)
    for path in ("/church-track/settings/", "/church-track/teams/"):
        page.goto(page.base_url + path)
        assert _page_fits_the_phone(page), path
        axe_problems += _serious(axe, page)
    assert axe_problems == []


def _serious(axe: Axe, page) -> list[str]:
    results = axe.run(page).response
    return [
        f"{page.url}: {v['id']} ({v['impact']})"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
