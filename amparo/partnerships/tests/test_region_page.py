"""The region's partnerships page: each partnership's stage history, and the signed
agreement's link for those who may open it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amparo.partnerships import services
from amparo.partnerships.models import Partnership
from amparo.territory.models import Organization
from amparo.tests.queries import page_queries

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
URL = reverse("region-partnerships", args=["PE-LOR"])


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _signed(world, name: str) -> Partnership:
    coordinator = world.users["coordinator"]
    organization = Organization.objects.create(name=name, kind="fraternity", region=world.region_a)
    partnership = services.partnership_create(
        region=world.region_a, organization=organization, since=date(2026, 9, 1), by=coordinator
    )
    partnership = services.partnership_move(
        partnership=partnership, to="interested", on=date(2026, 9, 10), by=coordinator
    )
    services.agreement_attach(
        partnership=partnership, upload=SimpleUploadedFile("convenio.pdf", PDF)
    )
    return services.partnership_move(
        partnership=partnership, to="signed", on=date(2026, 9, 20), by=coordinator
    )


def test_it_shows_when_each_stage_was_reached_and_by_whom(world):
    partnership = _signed(world, "Fraternidad X")
    services.partnership_move(
        partnership=partnership, to="active", on=date(2026, 10, 1), by=world.users["admin"]
    )
    page = world.client("viewer").get(URL).content.decode()
    history = page[page.index("Historial de etapas") :]
    assert "2026-09-01 · Contactada · coordinator" in history
    assert "2026-09-20 · Convenio firmado · coordinator" in history
    assert "2026-10-01 · Activa · admin" in history
    assert history.index("2026-09-01") < history.index("2026-09-20") < history.index("2026-10-01")


@pytest.mark.parametrize(
    ("role", "sees_link"), [("coordinator", True), ("focal", True), ("viewer", False)]
)
def test_it_links_the_signed_agreement_only_for_those_who_may_open_it(world, role, sees_link):
    partnership = _signed(world, "Fraternidad X")
    download = reverse("agreement-download", args=["PE-LOR", partnership.pk])
    client = world.client(role)
    assert (download in client.get(URL).content.decode()) is sees_link
    response = client.get(download)
    assert response.status_code == (200 if sees_link else 403)
    response.close()


def test_the_page_costs_the_same_with_more_partnerships_and_moves(world):
    client = world.client("coordinator")
    _signed(world, "Fraternidad 0")
    small = page_queries(client, URL)
    for n in range(1, 8):
        _signed(world, f"Fraternidad {n}")
    assert page_queries(client, URL) == small


def test_attaching_the_agreement_keeps_a_stage_moved_meanwhile(world):
    coordinator = world.users["coordinator"]
    organization = Organization.objects.create(name="F", kind="fraternity", region=world.region_a)
    opened = services.partnership_create(
        region=world.region_a, organization=organization, since=date(2026, 9, 1), by=coordinator
    )
    services.partnership_move(
        partnership=Partnership.objects.get(pk=opened.pk),
        to="interested",
        on=date(2026, 9, 10),
        by=coordinator,
    )
    services.agreement_attach(partnership=opened, upload=SimpleUploadedFile("c.pdf", PDF))
    opened.refresh_from_db()
    assert opened.stage == "interested" and opened.since == date(2026, 9, 10)
    assert opened.agreement_name == "c.pdf"
