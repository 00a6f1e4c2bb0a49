from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from amparo.mitigation.models import Measure
from amparo.mitigation.tests.conftest import add_finding
from amparo.tests.queries import page_queries


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_systemic_view_and_lists_cost_the_same_at_any_size(world, round_a, threats) -> None:
    client = world.client("coordinator")
    me = world.users["coordinator"]
    urls = [reverse(n, args=["PE-LOR"]) for n in ("measure-systemic", "measure-list")]
    urls += [reverse("measure-list", args=["PE-LOR"]) + "?overdue=1", reverse("my-measures")]
    late = timezone.localdate() - timedelta(days=3)
    add_finding(round_a, threats["TUR-01"], inherent=(5, 5))
    Measure.objects.create(
        region=world.region_a,
        sector=world.sector,
        kind="policy",
        title="m0",
        owner=me,
        due_on=late,
    )
    small = [page_queries(client, url) for url in urls]
    for n in range(25):
        sector = world.sector if n % 2 else world.other_sector
        m = Measure.objects.create(
            region=world.region_a,
            sector=sector,
            kind=["policy", "procedure", "program"][n % 3],
            title=f"m{n + 1}",
            status=["proposed", "approved", "verified"][n % 3],
            owner=me,
            due_on=late - timedelta(days=n),
        )
        m.findings.set(round_a.findings.all())
    add_finding(round_a, threats["TUR-02"], inherent=(5, 4))
    add_finding(round_a, threats["EDU-01"], inherent=(4, 5))
    overdue_page = client.get(urls[2]).content.decode()
    assert "m1<" in overdue_page and "m3<" not in overdue_page  # verified is not overdue
    assert client.get(urls[3]).content.decode().count("badge bad") == 1 + 17  # m0 and the open ones
    assert [page_queries(client, url) for url in urls] == small


def test_the_systemic_view_shows_counts_and_maturity(world, round_a, threats) -> None:
    for kind in ("policy", "procedure", "program"):
        Measure.objects.create(
            region=world.region_a, sector=world.sector, kind=kind, title=kind, status="verified"
        )
    page = world.client("coordinator").get(reverse("measure-systemic", args=["PE-LOR"]))
    text = page.content.decode()
    tur_row = text[text.index(">TUR<") :]
    tur_row = tur_row[: tur_row.index("</tr>")]
    assert "Práctica madura" in tur_row
    edu_row = text[text.index(">EDU<") :]
    assert "Primeros pasos" in edu_row[: edu_row.index("</tr>")]


def test_remind_mails_each_owner_their_overdue_and_soon_due_measures(world) -> None:
    today = timezone.localdate()
    owner = world.users["coordinator"]
    owner.email = "coord@example.org"
    owner.save()
    for title, due, status in (
        ("Vencida", -3, "drafting"),
        ("Pronto", 2, "approved"),
        ("Lejana", 30, "proposed"),
        ("Hecha", -5, "implemented"),
    ):
        Measure.objects.create(
            region=world.region_a,
            sector=world.sector,
            kind="policy",
            title=title,
            owner=owner,
            status=status,
            due_on=today + timedelta(days=due),
        )
    call_command("remind", days=7, stdout=(out := StringIO()))
    assert "sent 1 e-mail" in out.getvalue()
    body = mail.outbox[0].body
    assert "Vencida" in body and "Pronto" in body
    assert "Lejana" not in body and "Hecha" not in body
    assert mail.outbox[0].to == ["coord@example.org"]
    call_command("remind", days=7, dry_run=True, stdout=(out := StringIO()))
    assert "would send 1" in out.getvalue() and len(mail.outbox) == 1


def test_my_measures_lists_what_i_follow_in_regions_i_can_still_see(world) -> None:
    me = world.users["coordinator"]
    Measure.objects.create(
        region=world.region_a, sector=world.sector, kind="policy", title="Mía en Loreto", owner=me
    )
    Measure.objects.create(
        region=world.region_b, sector=world.sector, kind="policy", title="Mía en Ucayali", owner=me
    )
    page = world.client("coordinator").get(reverse("my-measures")).content.decode()
    assert "Mía en Loreto" in page and "Mía en Ucayali" not in page
