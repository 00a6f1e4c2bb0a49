"""Partnerships, meetings and next steps, tasks, pipeline, materials: through the pages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from amparo.partnerships.models import Material, MaterialVersion, Meeting, NextStep, Partnership
from amparo.territory.models import Contact, Organization
from amparo.tests.queries import page_queries

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def fraternity(world) -> Organization:
    return Organization.objects.create(
        name="Fraternidad X", kind="fraternity", region=world.region_a
    )


def _ok(response):
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_coordinator_takes_a_fraternity_to_signed_and_the_planner_proposes_the_region(
    world, fraternity
) -> None:
    from amparo.catalog.sync import LoadCount
    from amparo.rollout.services import playbook_catalog_load

    playbook_catalog_load(pack="pe", count=LoadCount())
    client = world.client("coordinator")
    contact = Contact.objects.create(organization=fraternity, name="Pastor presidente")
    _ok(
        client.post(
            reverse("region-partnerships", args=["PE-LOR"]),
            {"organization": fraternity.pk, "since": "2026-09-01"},
        )
    )
    partnership = Partnership.objects.get()
    _ok(
        client.post(
            reverse("meetings", args=["PE-LOR"]),
            {
                "held_on": "2026-09-10",
                "place": "Iquitos",
                "purpose": "Alianza",
                "agreed": "Firmar",
                "organizations": [fraternity.pk],
                "contacts": [contact.pk],
                "step1": "Enviar convenio",
                "owner1": world.users["coordinator"].pk,
                "due1": (timezone.localdate() - timedelta(days=1)).isoformat(),
                "step2": "Reservar local",
                "owner2": world.users["coordinator"].pk,
                "due2": "2030-01-01",
            },
        )
    )
    assert NextStep.objects.count() == 2
    tasks = client.get(reverse("my-tasks")).content.decode()
    assert "Enviar convenio" in tasks and "badge bad" in tasks
    region_page = client.get(reverse("region-detail", args=["PE-LOR"])).content.decode()
    assert "Reservar local" in region_page
    move = reverse("partnership-move", args=["PE-LOR", partnership.pk])
    _ok(client.post(move, {"to": "interested", "on": "2026-09-10"}))
    client.post(move, {"to": "signed", "on": "2026-09-20"})
    partnership.refresh_from_db()
    assert partnership.stage == "interested"  # no agreement attached yet
    planner = world.client("admin").get(reverse("planner")).context["form"]
    assert world.region_a.pk not in planner.initial["regions"]
    _ok(
        client.post(
            move,
            {
                "to": "signed",
                "on": "2026-09-20",
                "agreement": SimpleUploadedFile("convenio.pdf", PDF),
            },
        )
    )
    partnership.refresh_from_db()
    assert partnership.stage == "signed" and partnership.agreement
    pipeline = client.get(reverse("pipeline")).context["rows"]
    assert next(r for r in pipeline if r.region == world.region_a).ready
    planner = world.client("admin").get(reverse("planner")).context["form"]
    assert world.region_a.pk in planner.initial["regions"]
    download = client.get(reverse("agreement-download", args=["PE-LOR", partnership.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    step = NextStep.objects.get(description="Enviar convenio")
    _ok(client.post(reverse("step-done", args=[step.pk])))
    step.refresh_from_db()
    assert step.done_on == timezone.localdate()


@pytest.mark.parametrize(
    ("role", "read", "change"),
    [
        ("admin", 200, 302),
        ("coordinator", 200, 302),
        ("focal", 200, 403),
        ("viewer", 200, 403),
        ("outsider", 404, 404),
    ],
)
def test_who_may_read_and_change_partnerships(world, fraternity, role, read, change) -> None:
    client = world.client(role)
    assert client.get(reverse("region-partnerships", args=["PE-LOR"])).status_code == read
    assert client.get(reverse("meetings", args=["PE-LOR"])).status_code == read
    response = client.post(
        reverse("region-partnerships", args=["PE-LOR"]),
        {"organization": fraternity.pk, "since": "2026-09-01"},
    )
    assert response.status_code == change
    other = world.client(role).get(reverse("region-partnerships", args=["PE-UCA"])).status_code
    assert other == (200 if role == "admin" else 404)


def test_contact_details_are_for_coordinators_and_admins(world, fraternity) -> None:
    Contact.objects.create(organization=fraternity, name="Ana", email="ana@example.org")
    url = reverse("region-detail", args=["PE-LOR"])
    assert "ana@example.org" in world.client("coordinator").get(url).content.decode()
    assert "ana@example.org" not in world.client("focal").get(url).content.decode()
    assert "ana@example.org" not in world.client("viewer").get(url).content.decode()


def test_a_next_step_needs_an_owner_and_a_date(world, fraternity) -> None:
    response = world.client("coordinator").post(
        reverse("meetings", args=["PE-LOR"]),
        {"held_on": "2026-09-10", "place": "Iquitos", "purpose": "Alianza", "step1": "Algo"},
    )
    assert response.status_code == 422 and not Meeting.objects.exists()


def test_materials_keep_language_versions_and_only_members_download(world) -> None:
    material = Material.objects.create(
        code="serie", title_es="Serie", title_en="Series", kind="series"
    )
    admin = world.client("admin")
    _ok(
        admin.post(
            reverse("material-version-add", args=[material.pk]),
            {"language": "agr", "version": "1", "file": SimpleUploadedFile("serie.pdf", PDF)},
        )
    )
    admin.post(
        reverse("material-version-add", args=[material.pk]),
        {"language": "es", "version": "1", "file": SimpleUploadedFile("x.exe", b"MZ")},
    )
    version = MaterialVersion.objects.get()
    assert version.language == "agr"
    url = reverse("material-download", args=[version.pk])
    download = world.client("viewer").get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert world.client("outsider").get(url).status_code == 404
    assert world.client(None).get(url).status_code == 302
    assert (
        world.client("coordinator")
        .post(
            reverse("material-version-add", args=[material.pk]), {"language": "es", "version": "2"}
        )
        .status_code
        == 403
    )


def test_pipeline_meetings_and_tasks_cost_the_same_at_any_size(world, fraternity) -> None:
    client = world.client("coordinator")
    urls = [reverse("pipeline"), reverse("meetings", args=["PE-LOR"]), reverse("my-tasks")]
    Partnership.objects.create(
        region=world.region_a, organization=fraternity, since=date(2026, 1, 1)
    )
    first = Meeting.objects.create(
        region=world.region_a, held_on=date(2026, 1, 5), place="x", purpose="m"
    )
    NextStep.objects.create(
        meeting=first, description="s", owner=world.users["coordinator"], due_on=date(2026, 3, 1)
    )
    small = [page_queries(client, u) for u in urls]
    for n in range(15):
        org = Organization.objects.create(name=f"Org {n}", kind="church", region=world.region_a)
        Partnership.objects.create(region=world.region_a, organization=org, since=date(2026, 1, 1))
        meeting = Meeting.objects.create(
            region=world.region_a, held_on=date(2026, 2, 1), place="x", purpose=f"m{n}"
        )
        meeting.organizations.set([org])
        NextStep.objects.create(
            meeting=meeting,
            description="s",
            owner=world.users["coordinator"],
            due_on=date(2026, 3, 1),
        )
    assert [page_queries(client, u) for u in urls] == small
