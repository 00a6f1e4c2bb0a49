"""A report holds what its reader may read on the pages: a focal point gets their own
sector's findings and measures, a coordinator every sector of the region, and a report made
under one set of memberships is never handed out under another."""

from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from amparo.accounts.models import Membership, Role
from amparo.reports import render
from amparo.reports.models import ReportFile
from amparo.territory.models import Region


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _rows(book, title: str) -> list[list]:
    return [[c.value for c in row] for row in book[title].iter_rows(min_row=2)]


def test_a_focal_points_summary_holds_only_their_sector(world, loreto) -> None:
    region = Region.objects.filter(pk=world.region_a.pk)
    focal = _pdf_text(
        render.summary_pdf(region, user=world.users["focal"], lang="es", donor=False, since=None)
    )
    assert "EVIDENCIA-TURISMO" in focal and "TUR Propuesta: 1" in focal
    assert "EVIDENCIA-EDUCACION" not in focal and "EDU" not in focal
    coordinator = _pdf_text(
        render.summary_pdf(
            region, user=world.users["coordinator"], lang="es", donor=False, since=None
        )
    )
    assert "EVIDENCIA-TURISMO" in coordinator and "EVIDENCIA-EDUCACION" in coordinator
    assert "EDU — Propuesta: 1 —" in coordinator


def test_a_focal_points_workbook_has_rows_only_of_their_sector(world, loreto) -> None:
    region = Region.objects.filter(pk=world.region_a.pk)
    focal = load_workbook(
        io.BytesIO(render.workbook_xlsx(region, user=world.users["focal"], lang="es", donor=False))
    )
    assert [row[2] for row in _rows(focal, "Hallazgos")] == ["TUR"]
    assert [row[9] for row in _rows(focal, "Hallazgos")] == ["EVIDENCIA-TURISMO"]
    assert [row[3] for row in _rows(focal, "Medidas")] == ["Ordenanza de turismo"]
    coordinator = load_workbook(
        io.BytesIO(
            render.workbook_xlsx(region, user=world.users["coordinator"], lang="es", donor=False)
        )
    )
    assert sorted(row[2] for row in _rows(coordinator, "Hallazgos")) == ["EDU", "TUR"]
    assert len(_rows(coordinator, "Medidas")) == 2


def test_a_focal_point_downloads_a_workbook_of_their_sector(world, loreto) -> None:
    client = world.client("focal")
    client.post(reverse("region-reports", args=["PE-LOR"]), {"kind": "workbook", "lang": "es"})
    report = ReportFile.objects.get()
    assert not report.donor  # they read their sector's evidence on the pages too
    download = client.get(reverse("report-download", args=[report.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    values = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row}
    assert "EVIDENCIA-TURISMO" in values and "Ordenanza de turismo" in values
    assert "EVIDENCIA-EDUCACION" not in values and "Directiva de educacion" not in values


def test_a_report_is_not_reused_once_the_readers_memberships_change(world, loreto) -> None:
    client = world.client("focal")
    url = reverse("region-reports", args=["PE-LOR"])
    first = client.post(url, {"kind": "workbook", "lang": "es"})
    assert client.post(url, {"kind": "workbook", "lang": "es"}).url == first.url
    Membership.objects.filter(user=world.users["focal"]).update(role=Role.COORDINATOR, sector=None)
    again = world.client("focal").post(url, {"kind": "workbook", "lang": "es"})
    assert again.url != first.url and ReportFile.objects.count() == 2
    newest = ReportFile.objects.order_by("-created_at").first()
    with newest.file.open("rb") as stored:
        book = load_workbook(io.BytesIO(stored.read()))
    assert sorted(row[2] for row in _rows(book, "Hallazgos")) == ["EDU", "TUR"]


def test_the_request_page_tells_a_focal_point_the_report_holds_their_sector(world) -> None:
    note = "Los hallazgos y las medidas son los de su propio sector"
    url = reverse("region-reports", args=["PE-LOR"])
    assert note in world.client("focal").get(url).text
    assert note not in world.client("coordinator").get(url).text


def test_the_command_line_writes_the_whole_region(world, loreto, tmp_path) -> None:
    from io import StringIO

    from django.core.management import call_command

    output = tmp_path / "libro.xlsx"
    call_command(
        "report",
        "--region=PE-LOR",
        "--kind=workbook",
        "--format=xlsx",
        f"--output={output}",
        stdout=StringIO(),
    )
    book = load_workbook(output)
    assert sorted(row[2] for row in _rows(book, "Hallazgos")) == ["EDU", "TUR"]
