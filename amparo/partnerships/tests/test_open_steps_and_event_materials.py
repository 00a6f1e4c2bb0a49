"""The region page lists the open next steps at a fixed cost; an event records which
version of which material it used, and its page shows it."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amparo.partnerships.models import Material, MaterialVersion, Meeting, NextStep
from amparo.rollout.models import Event, Playbook, Rollout
from amparo.tests.queries import page_queries

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_the_region_page_costs_the_same_with_more_open_next_steps(world):
    meeting = Meeting.objects.create(
        region=world.region_a, held_on=date(2026, 9, 1), place="Iquitos", purpose="Alianza"
    )
    owners = [world.users[r] for r in ("coordinator", "focal", "admin")]
    NextStep.objects.create(
        meeting=meeting, description="s", owner=owners[0], due_on=date(2026, 9, 30)
    )
    url = reverse("region-detail", args=["PE-LOR"])
    clients = [world.client(role) for role in ("coordinator", "focal", "viewer")]
    small = [page_queries(client, url) for client in clients]
    for n in range(12):
        other = Meeting.objects.create(
            region=world.region_a, held_on=date(2026, 9, 2), place="x", purpose=f"m{n}"
        )
        NextStep.objects.create(
            meeting=other,
            description=f"paso {n}",
            owner=owners[n % 3],
            due_on=date(2026, 9, 1) + timedelta(days=n),
        )
    assert [page_queries(client, url) for client in clients] == small
    page = world.client("coordinator").get(url).content.decode()
    assert all(f"paso {n}" in page for n in range(12))


@pytest.fixture
def event(world) -> Event:
    from amparo.catalog.sync import LoadCount
    from amparo.rollout.services import playbook_catalog_load

    playbook_catalog_load(pack="pe", count=LoadCount())
    playbook = Playbook.objects.get(code="iglesias")
    return Event.objects.create(
        rollout=Rollout.objects.create(region=world.region_a, playbook=playbook),
        stage=playbook.stages.get(code="conferencia"),
        starts_on=date(2026, 11, 2),
        ends_on=date(2026, 11, 4),
        city="Iquitos",
    )


def _version(material: Material, language: str, version: str) -> MaterialVersion:
    item = MaterialVersion(
        material=material,
        language=language,
        version=version,
        original_name="serie.pdf",
        content_type="application/pdf",
    )
    item.file.save("serie.pdf", SimpleUploadedFile("serie.pdf", PDF), save=False)
    item.save()
    return item


def test_an_event_records_the_material_version_it_used_and_shows_it(world, event, media_root):
    material = Material.objects.create(
        code="segunda-mirada",
        title_es="La segunda mirada",
        title_en="The second glance",
        kind="series",
    )
    material.stages.set([event.stage])
    first, second = _version(material, "es", "1"), _version(material, "es", "2")
    awajun = _version(material, "agr", "1")
    url = reverse("event-materials", args=["PE-LOR", event.pk])
    response = world.client("coordinator").post(url, {"versions": [second.pk, awajun.pk]})
    assert response.status_code == 302
    assert set(event.materials_used.all()) == {second, awajun}

    detail = reverse("event-detail", args=["PE-LOR", event.pk])
    shown = world.client("viewer").get(detail).content.decode()
    assert "La segunda mirada · es · 2" in shown and "La segunda mirada · agr · 1" in shown
    assert "La segunda mirada · es · 1" not in shown
    form = world.client("coordinator").get(detail).content.decode()
    checked = set(re.findall(r'name="versions" value="(\d+)" checked', form))
    assert checked == {str(second.pk), str(awajun.pk)}

    # Recording again replaces the list: the event used the first version after all.
    world.client("coordinator").post(url, {"versions": [first.pk]})
    assert list(event.materials_used.all()) == [first]


def test_an_event_refuses_a_version_of_a_material_its_stage_does_not_use(world, event, media_root):
    used = Material.objects.create(code="usado", title_es="Usado", title_en="Used", kind="series")
    used.stages.set([event.stage])
    other = Material.objects.create(code="otro", title_es="Otro", title_en="Other", kind="manual")
    kept, foreign = _version(used, "es", "1"), _version(other, "es", "1")
    url = reverse("event-materials", args=["PE-LOR", event.pk])
    client = world.client("coordinator")
    assert client.post(url, {"versions": [kept.pk]}).status_code == 302
    assert client.post(url, {"versions": [kept.pk, foreign.pk]}).status_code == 400
    assert list(event.materials_used.all()) == [kept]
