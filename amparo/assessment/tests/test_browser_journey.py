"""The government-track journey in a real browser (phone-sized), by keyboard where it
matters: start a round, rate a threat, find it on the round page and the heat map."""

from __future__ import annotations

import pytest

from amparo.assessment.models import Assessment, Finding
from amparo.conftest import browser_login

pytestmark = pytest.mark.browser


def test_a_coordinator_rates_a_threat_and_sees_it_on_the_heat_map(
    browser_page, world, starter_catalog
):
    page = browser_page
    browser_login(page, "coordinator")
    page.click("a[href='/regions/PE-LOR/']")
    page.click("a[href='/regions/PE-LOR/assessments/']")
    page.focus("form[action$='/assessments/new/'] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assessment = Assessment.objects.get(region=world.region_a)
    assert page.url.endswith(f"/regions/PE-LOR/assessments/{assessment.pk}/")
    assert assessment.number == 1 and assessment.findings.count() == 0

    page.click(f"a[href$='/assessments/{assessment.pk}/findings/new/']")
    page.select_option("#id_threat", label="TUR-01 · " + _threat_title("TUR-01"))
    page.select_option("#id_inherent_likelihood", "4")
    page.select_option("#id_inherent_impact", "5")
    page.fill("#id_evidence", "Hospedajes sin registro de huéspedes menores de edad.")
    page.select_option("#id_residual_likelihood", "3")
    page.select_option("#id_residual_impact", "5")
    page.fill("#id_evidence_source", "Visita a la DIRCETUR")
    with page.expect_navigation():
        page.press("#id_evidence_source", "Enter")
    finding = Finding.objects.get(assessment=assessment)
    assert (finding.threat.code, finding.inherent_likelihood, finding.inherent_impact) == (
        "TUR-01",
        4,
        5,
    )
    assert finding.sector == world.sector
    assert page.url.endswith(f"/findings/{finding.pk}/")
    assert "TUR-01" in page.inner_text("h1")

    page.goto(f"{page.base_url}/regions/PE-LOR/assessments/{assessment.pk}/")
    row = page.locator("section[aria-labelledby=sectors-heading] tbody tr").filter(
        has=page.get_by_role("link", name="TUR", exact=True)
    )
    assert row.locator("td.num").first.inner_text() == "1"

    page.goto(f"{page.base_url}/regions/PE-LOR/assessments/{assessment.pk}/heatmap/?kind=inherent")
    cell = page.locator("table.heat a[href*='l=4&i=5']")
    assert cell.locator(".count").inner_text() == "1"
    assert page.locator("table.heat a").count() == 1  # only the rated cell links anywhere
    cell.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("main table tbody tr").count() == 1
    assert "TUR-01" in page.inner_text("main table tbody")


def _threat_title(code: str) -> str:
    from amparo.assessment.models import Threat

    return Threat.objects.get(code=code).title_es
