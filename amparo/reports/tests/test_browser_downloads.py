"""Reports downloaded in a real browser (phone-sized): the executive summary as a PDF, the
workbook as XLSX and the measures as CSV, each opened to check what a reader relies on."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from pypdf import PdfReader

from amparo.assessment import services as assessment_services
from amparo.assessment.models import Threat
from amparo.assessment.tests.conftest import add_finding
from amparo.conftest import browser_login
from amparo.mitigation.models import Measure

pytestmark = pytest.mark.browser


def _generate_and_download(page, kind: str) -> bytes:
    page.goto(f"{page.base_url}/regions/PE-LOR/reports/")
    page.check(f"input[name=kind][value={kind}]")
    page.focus("form.stacked button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("/")[-3] == "reports"  # the report's own status page
    with page.expect_download() as download:
        page.click("a[href$='/download/']")
    assert download.value.suggested_filename.startswith(f"amparo-PE-LOR-{kind}")
    return download.value.path().read_bytes()


def test_a_coordinator_downloads_the_region_reports(
    browser_page, world, starter_catalog, media_root
):
    page = browser_page
    assessment = assessment_services.assessment_start(region=world.region_a, clone_previous=False)
    add_finding(
        assessment,
        Threat.objects.get(code="TUR-01"),
        inherent=(4, 5),
        evidence="Registro de huéspedes incompleto",
    )
    Measure.objects.create(
        region=world.region_a, sector=world.sector, kind="policy", title="Ordenanza regional"
    )
    browser_login(page, "coordinator")

    pdf = _generate_and_download(page, "executive")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) >= 1
    assert "Loreto" in reader.pages[0].extract_text()

    workbook = openpyxl.load_workbook(io.BytesIO(_generate_and_download(page, "workbook")))
    cells = {
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
    }
    assert len(workbook.sheetnames) == 5
    assert {"TUR-01", "Registro de huéspedes incompleto", "Ordenanza regional"} <= cells

    page.goto(f"{page.base_url}/regions/PE-LOR/measures/")
    with page.expect_download() as download:
        page.click("button[name=format][value=csv]")
    rows = list(csv.reader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert len(rows) == 2 and rows[1][:3] == ["TUR", "Política", "Ordenanza regional"]
