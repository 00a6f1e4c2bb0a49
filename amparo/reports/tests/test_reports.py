"""Reports read back: PDFs in both languages, the donor version, the workbook, CSV lists,
reuse while the data is unchanged, and who may get what."""

from __future__ import annotations

import io
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from amparo.accounts.models import User
from amparo.assessment.models import Assessment, Finding
from amparo.mitigation.models import Measure
from amparo.partnerships.models import Meeting
from amparo.reports import render, scope
from amparo.reports.models import ReportFile
from amparo.territory.models import Contact, Organization, Region

OPERATOR = scope.operator()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("demo", stdout=StringIO())
    # Text only those who see details may read: evidence on Loreto's findings, and a
    # contact of the meeting behind Loreto's open next steps.
    Finding.objects.filter(assessment__region__code="PE-LOR").update(
        evidence="EVIDENCIA-CONFIDENCIAL"
    )
    org = Organization.objects.filter(region__code="PE-LOR").first()
    contact = Contact.objects.create(organization=org, name="Alguien", email="privado@example.org")
    Meeting.objects.filter(
        region__code="PE-LOR", next_steps__done_on__isnull=True
    ).first().contacts.add(contact)


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(
    ("lang", "heading", "section"),
    [
        ("es", "Resumen ejecutivo del programa", "Dónde está la implementación"),
        ("en", "Program executive summary", "Where the rollout stands"),
    ],
)
def test_the_program_summary_reads_back_in_each_language(demo, lang, heading, section) -> None:
    pages, text = _text(
        render.summary_pdf(Region.objects.all(), user=OPERATOR, lang=lang, donor=False, since=None)
    )
    assert pages >= 2
    assert heading in text and section in text
    assert "1818" in text
    # The same figure as the program page: Loreto's pastors trained.
    from amparo.rollout.queries import program_overview

    loreto = next(x for x in program_overview(Region.objects.all()) if x.region.code == "PE-LOR")
    row = text[text.index("Loreto") : text.index("Madre de")]
    assert f" {loreto.pastors_trained} " in row.replace("\n", " ")


@pytest.mark.parametrize(
    ("lang", "headings"),
    [
        (
            "es",
            [
                "Resumen ejecutivo · Loreto",
                "Ministerio por ministerio",
                "Cobertura de la evaluación por ministerio",
                "Problemas pendientes",
                "Medidas por ministerio y tipo",
                "Indicadores clave frente a la meta",
            ],
        ),
        (
            "en",
            [
                "Executive summary · Loreto",
                "Ministry by ministry",
                "Assessment coverage by ministry",
                "Open problems",
                "Measures by ministry and kind",
                "Key indicators against target",
            ],
        ),
    ],
)
def test_the_region_summary_names_the_region_and_pages_are_numbered(demo, lang, headings) -> None:
    pages, text = _text(
        render.summary_pdf(
            Region.objects.filter(code="PE-LOR"),
            user=OPERATOR,
            lang=lang,
            donor=False,
            since=date(2025, 1, 1),
        )
    )
    for heading in headings:
        assert heading in text
    assert pages >= 2  # exact page counts: test_report_workbook.py, on fixed data
    page = "Página" if lang == "es" else "Page"
    assert f"{page} 1 / {pages}".replace(" ", "") in text.replace(" ", "")
    assert f"{page} {pages} / {pages}".replace(" ", "") in text.replace(" ", "")


def test_the_donor_version_hides_what_viewers_may_not_see(demo) -> None:
    coordinator = User.objects.get(username="demo-coordinador")
    loreto = Region.objects.filter(code="PE-LOR")
    full = _text(render.summary_pdf(loreto, user=coordinator, lang="es", donor=False, since=None))[
        1
    ]
    donor = _text(render.summary_pdf(loreto, user=coordinator, lang="es", donor=True, since=None))[
        1
    ]
    assert "donantes" in donor and "donantes" not in full
    assert "privado@example.org" in full and "EVIDENCIA-CONFIDENCIAL" in full
    assert "privado@example.org" not in donor and "EVIDENCIA-CONFIDENCIAL" not in donor
    workbook = load_workbook(
        io.BytesIO(render.workbook_xlsx(Region.objects.all(), user=OPERATOR, lang="es", donor=True))
    )
    values = {str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row}
    assert "EVIDENCIA-CONFIDENCIAL" not in values
    pastors = [r[5].value for r in workbook["Asistencia"].iter_rows(min_row=2)]
    # For donors or the public k is 11: nothing from 1 to 10 shows, "c" instead.
    assert all(v == "c" or v == 0 or v >= 11 for v in pastors) and "c" in pastors
    full_book = load_workbook(
        io.BytesIO(
            render.workbook_xlsx(Region.objects.all(), user=OPERATOR, lang="es", donor=False)
        )
    )
    assert "EVIDENCIA-CONFIDENCIAL" in {
        str(c.value) for row in full_book["Hallazgos"].iter_rows() for c in row
    }


def test_the_workbook_has_typed_columns_and_headers_in_the_language(demo) -> None:
    book = load_workbook(
        io.BytesIO(
            render.workbook_xlsx(Region.objects.all(), user=OPERATOR, lang="en", donor=False)
        )
    )
    assert book.sheetnames == ["Events", "Attendance", "Findings", "Measures", "Observations"]
    assert [c.value for c in book["Measures"][1]][:4] == ["Region", "Sector", "Kind", "Title"]
    first_event = next(book["Events"].iter_rows(min_row=2))
    assert isinstance(first_event[3].value, __import__("datetime").datetime)
    assert isinstance(next(book["Observations"].iter_rows(min_row=2))[4].value, int | float)


def test_a_request_is_reused_until_the_data_changes(demo) -> None:
    from amparo.accounts.models import User

    client = __import__("django.test", fromlist=["Client"]).Client()
    client.force_login(User.objects.get(username="demo-coordinador"))
    url = reverse("region-reports", args=["PE-LOR"])
    first = client.post(url, {"kind": "executive", "lang": "es"})
    second = client.post(url, {"kind": "executive", "lang": "es"})
    assert first.url == second.url and ReportFile.objects.count() == 1
    report = ReportFile.objects.get()
    assert report.status == "done"
    download = client.get(reverse("report-download", args=[report.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    Measure.objects.filter(region__code="PE-LOR").first().save()
    third = client.post(url, {"kind": "executive", "lang": "es"})
    assert third.url != first.url and ReportFile.objects.count() == 2


def test_the_status_page_polls_while_the_report_runs_and_stops_when_done(demo) -> None:
    from django.test import Client

    from amparo.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username="demo-coordinador"))
    client.post(reverse("region-reports", args=["PE-LOR"]), {"kind": "executive", "lang": "es"})
    report = ReportFile.objects.get()
    url = reverse("report-status", args=[report.pk])
    done = client.get(url).content.decode()
    assert "hx-trigger" not in done and "http-equiv" not in done
    ReportFile.objects.filter(pk=report.pk).update(status="running")
    running = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in running and f'hx-get="{url}"' in running
    assert "http-equiv" not in running  # a page that reloads itself is an accessibility fault


def test_viewers_get_their_own_version_or_the_public_one_and_others_cannot_download(
    demo,
) -> None:
    from django.test import Client

    from amparo.accounts.models import User

    viewer = Client()
    viewer.force_login(User.objects.get(username="demo-visor"))
    assert "Para donantes o el público" in viewer.get(reverse("program-reports")).content.decode()
    viewer.post(reverse("program-reports"), {"kind": "workbook", "lang": "es"})
    report = ReportFile.objects.get()
    assert not report.donor  # the figures as the viewer sees them on the pages
    viewer.post(reverse("program-reports"), {"kind": "workbook", "lang": "es", "donor": "on"})
    assert ReportFile.objects.filter(donor=True).count() == 1
    coordinator = Client()
    coordinator.force_login(User.objects.get(username="demo-coordinador"))
    assert coordinator.get(reverse("report-download", args=[report.pk])).status_code == 404
    assert coordinator.get(reverse("region-reports", args=["PE-UCA"])).status_code == 404


def test_list_pages_download_as_csv_without_formulas(world) -> None:
    Measure.objects.create(
        region=world.region_a, sector=world.sector, kind="policy", title="=HYPERLINK(1)"
    )
    response = world.client("coordinator").get(
        reverse("measure-list", args=["PE-LOR"]) + "?format=csv"
    )
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in text and "\n=HYPERLINK" not in text
    assessment = Assessment.objects.create(
        region=world.region_a,
        number=1,
        started_on=date(2026, 1, 1),
        matrix=__import__("amparo.assessment.services", fromlist=["x"]).matrix_default_ensure(),
    )
    csv_page = world.client("viewer").get(
        reverse("finding-list", args=["PE-LOR", assessment.pk]) + "?format=csv"
    )
    assert csv_page.status_code == 200
