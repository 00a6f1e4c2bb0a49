"""Asking for a report, following it and downloading it: who may still download it, what
the file is called in each language, and a fixed number of database queries per page."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from amparo.accounts.models import Membership, Role, User
from amparo.reports.models import ReportFile
from amparo.reports.services import REPORTED_MODELS


def _close_file(response) -> None:
    # Reading the stream to its end lets the test client close the file without closing
    # the database connection (a plain close() does that on PostgreSQL).
    b"".join(response.streaming_content)


def _two_region_coordinator(world) -> User:
    user = User.objects.create_user(username="two-regions", password="x-Pass-12345")
    Membership.objects.create(user=user, role=Role.COORDINATOR, region=world.region_a)
    Membership.objects.create(user=user, role=Role.COORDINATOR, region=world.region_b)
    return user


def test_a_program_report_is_refused_once_a_region_is_no_longer_visible(world, loreto) -> None:
    from django.test import Client

    user = _two_region_coordinator(world)
    client = Client()
    client.force_login(user)
    client.post(reverse("program-reports"), {"kind": "workbook", "lang": "es"})
    report = ReportFile.objects.get()
    assert sorted(report.region_ids) == sorted([world.region_a.pk, world.region_b.pk])
    download = reverse("report-download", args=[report.pk])
    response = client.get(download)
    assert response.status_code == 200
    _close_file(response)
    Membership.objects.filter(user=user, region=world.region_b).delete()
    client = Client()
    client.force_login(user)
    assert client.get(download).status_code == 404
    assert client.get(reverse("report-status", args=[report.pk])).status_code == 404


def test_a_full_report_is_refused_once_its_reader_is_only_a_viewer(world, loreto) -> None:
    client = world.client("coordinator")
    client.post(reverse("region-reports", args=["PE-LOR"]), {"kind": "workbook", "lang": "es"})
    report = ReportFile.objects.get()
    assert not report.donor
    download = reverse("report-download", args=[report.pk])
    response = client.get(download)
    assert response.status_code == 200
    _close_file(response)
    Membership.objects.filter(user=world.users["coordinator"]).update(role=Role.VIEWER)
    client = world.client("coordinator")
    assert client.get(download).status_code == 404
    assert client.get(reverse("report-status", args=[report.pk])).status_code == 404


def test_download_names_follow_the_page_language(world, loreto) -> None:
    user = _two_region_coordinator(world)
    from django.test import Client

    client = Client()
    client.force_login(user)
    client.post(reverse("program-reports"), {"kind": "executive", "lang": "en", "donor": "on"})
    report = ReportFile.objects.get()
    url = reverse("report-download", args=[report.pk])
    spanish = client.get(url)
    assert 'filename="amparo-programa-executive-donantes-en.pdf"' in spanish["Content-Disposition"]
    _close_file(spanish)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url)
    assert 'filename="amparo-program-executive-donors-en.pdf"' in english["Content-Disposition"]
    _close_file(english)


def test_the_request_status_and_download_pages_use_few_queries(
    world, loreto, django_assert_max_num_queries
) -> None:
    client = world.client("coordinator")
    url = reverse("region-reports", args=["PE-LOR"])
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
    client.post(url, {"kind": "workbook", "lang": "es"})  # generates it too, in tests
    report = ReportFile.objects.get()
    # Asking again: the session, the user and their grants, the expired reports, the
    # fingerprint (one query per kind of row a report reads), whether the reader's
    # disclosure protection is ready (the data's version and size) and the same report.
    with django_assert_max_num_queries(len(REPORTED_MODELS) + 8):
        assert client.post(url, {"kind": "workbook", "lang": "es"}).status_code == 302
    with django_assert_max_num_queries(6):
        assert client.get(reverse("report-status", args=[report.pk])).status_code == 200
    with django_assert_max_num_queries(6):
        response = client.get(reverse("report-download", args=[report.pk]))
        assert response.status_code == 200
        _close_file(response)


def test_the_summary_carries_the_same_hotlines_as_the_site_footer(world, loreto) -> None:
    import io

    from pypdf import PdfReader

    from amparo.reports import render
    from amparo.territory.models import Region

    footer = world.client("coordinator").get("/").content.decode()
    assert "(Ministerio del Interior" in footer
    pdf = render.summary_pdf(
        Region.objects.filter(pk=world.region_a.pk),
        user=world.users["coordinator"],
        lang="es",
        donor=True,
        since=None,
    )
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "1818 (Ministerio del Interior, 24 horas, gratuita)" in text
    assert "Línea 100 (Ministerio de la Mujer" in text
