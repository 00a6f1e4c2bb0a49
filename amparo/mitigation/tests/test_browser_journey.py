"""The mitigation journey in a real browser (phone-sized), by keyboard where it matters:
a focal point adopts a library control for a finding, attaches a PDF and implements it; a
coordinator verifies it."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.conf import settings
from pypdf import PdfWriter

from amparo.assessment import services as assessment_services
from amparo.assessment.models import Threat
from amparo.assessment.tests.conftest import add_finding
from amparo.conftest import browser_login
from amparo.mitigation.models import Measure

pytestmark = pytest.mark.browser


def _one_page_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _press(page, selector: str) -> None:
    """Activate a control from the keyboard and wait for the page it leads to."""
    page.focus(selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_measure_goes_from_the_library_to_verified_with_a_pdf_as_evidence(
    browser_page, world, starter_catalog, media_root
):
    page = browser_page
    assessment = assessment_services.assessment_start(region=world.region_a, clone_previous=False)
    finding = add_finding(assessment, Threat.objects.get(code="TUR-02"), inherent=(4, 5))
    browser_login(page, "focal")

    page.goto(f"{page.base_url}/regions/PE-LOR/measures/")
    page.click("a[href='/regions/PE-LOR/measures/library/']")
    _press(page, "button[aria-label$='TUR-PRO-02']")
    measure = Measure.objects.get(region=world.region_a)
    assert page.url.endswith(f"/measures/{measure.pk}/edit/")
    page.fill("#id_due_on", "2027-06-30")
    with page.expect_navigation():
        page.press("#id_title", "Enter")
    assert page.url.endswith(f"/measures/{measure.pk}/")
    treated = page.locator("section[aria-labelledby=findings-heading]")
    assert (
        treated.get_by_role("link", name="TUR-02")
        .get_attribute("href")
        .endswith(f"/findings/{finding.pk}/")
    )

    for status in ("drafting", "approved"):
        _press(page, f"button[name=to][value={status}]")
    _press(page, "button[name=to][value=implemented]")  # refused: no evidence yet
    measure.refresh_from_db()
    assert measure.status == "approved"
    assert page.locator(".messages .error").count() == 1

    pdf = _one_page_pdf()
    page.fill("#id_description", "Directiva firmada por la DIRCETUR")
    page.set_input_files(
        "#id_file", files=[{"name": "directiva.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    with page.expect_navigation():
        page.press("#id_description", "Enter")
    link = page.get_by_role("link", name="directiva.pdf")
    with page.expect_download() as download:
        link.click()
    assert download.value.path().read_bytes() == pdf

    _press(page, "button[name=to][value=implemented]")
    _press(page, "button[name=to][value=verified]")  # refused: the implementer cannot verify
    measure.refresh_from_db()
    assert (measure.status, measure.implemented_by) == ("implemented", world.users["focal"])

    page.context.clear_cookies()
    browser_login(page, "coordinator")
    page.goto(f"{page.base_url}/regions/PE-LOR/measures/{measure.pk}/")
    _press(page, "button[name=to][value=verified]")
    measure.refresh_from_db()
    assert (measure.status, measure.verified_by) == ("verified", world.users["coordinator"])
    history = page.inner_text("section[aria-labelledby=history-heading]")
    assert history.count("→") == 5 and "coordinator" in history
    # The change history belongs in the page, not in the title read out first.
    assert page.title() == f"{measure.title} · {settings.AMPARO_ORGANIZATION_NAME}"
