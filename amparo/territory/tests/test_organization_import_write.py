"""The write of an organization import, given checked rows: parents from the file or the
region, contacts of repeated rows, duplicates standing for the organization they repeat,
and the rows a person confirmed kept on the job."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amparo.imports import services as import_services
from amparo.imports.models import ImportJob
from amparo.territory import services
from amparo.territory.import_kind import ORGANIZATIONS, kind_labels
from amparo.territory.models import Contact, Organization, Region
from amparo.territory.organization_import import ContactRow, OrganizationRow


def row(number: int, name: str, parent: str = "", *, new: bool = True, contact: str = ""):
    return OrganizationRow(
        row=number,
        region="PE-LOR",
        kind="church",
        name=name,
        city="Iquitos",
        parent=parent,
        sector="",
        notes="",
        contact=ContactRow(contact, "", "", "") if contact else None,
        new=new,
    )


def test_a_parent_later_in_the_file_is_set_and_a_repeat_adds_a_contact(world) -> None:
    written = services.organizations_import(
        rows=[
            row(2, "Iglesia Hija", "Fraternidad Madre", contact="Ana"),
            row(3, "Fraternidad Madre"),
            row(4, "Iglesia Hija", new=False, contact="Luis"),
        ],
        aliases={},
        regions=Region.objects.all(),
    )
    assert written == 3
    child = Organization.objects.get(name="Iglesia Hija")
    assert child.parent.name == "Fraternidad Madre"
    assert sorted(child.contacts.values_list("name", flat=True)) == ["Ana", "Luis"]


def test_a_child_of_a_skipped_duplicate_gets_the_organization_already_there(world) -> None:
    kept = Organization.objects.create(
        name="Fraternidad de Iquitos", kind="fraternity", region=world.region_a, city="Iquitos"
    )
    services.organizations_import(
        rows=[row(3, "Iglesia Sur", "FRATERNIDAD DE IQUITOS")],
        aliases={("PE-LOR", "FRATERNIDAD DE IQUITOS"): "Fraternidad de Iquitos"},
        regions=Region.objects.all(),
    )
    assert Organization.objects.get(name="Iglesia Sur").parent == kept


def test_a_bad_email_that_slipped_through_stops_the_whole_write(world) -> None:
    bad = replace(row(3, "Iglesia B"), contact=ContactRow("x", "", "not-an-address", ""))
    with pytest.raises(ValidationError) as refused:
        services.organizations_import(
            rows=[row(2, "Iglesia A"), bad], aliases={}, regions=Region.objects.all()
        )
    assert "email" in refused.value.message_dict
    assert not Organization.objects.exists() and not Contact.objects.exists()


def test_confirmed_rows_are_kept_once_and_in_order(world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    job = import_services.import_check(
        job=import_services.import_job_create(
            kind=ORGANIZATIONS,
            by=world.users["admin"],
            region=world.region_a,
            upload=SimpleUploadedFile("o.csv", b"tipo,nombre\nIglesia,A\n"),
        )
    )
    import_services.import_confirm(
        job=job, by=world.users["admin"], keep_file=False, confirmed_rows=[5, 2, 5]
    )
    job.refresh_from_db()
    assert job.confirmed_rows == [2, 5]


def test_row_numbers_that_are_not_numbers_are_ignored_on_the_page(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = world.client("coordinator")
    client.post(
        reverse("organization-import", args=[world.region_a.code]),
        {"file": SimpleUploadedFile("o.csv", b"tipo,nombre\nIglesia,A\n")},
    )
    job = ImportJob.objects.get()
    client.post(
        reverse("organization-import-confirm", args=[world.region_a.code, job.pk]),
        {"confirm_row": ["x", "3"]},
    )
    job.refresh_from_db()
    assert (job.status, job.confirmed_rows) == ("done", [3])
    assert Organization.objects.get().name == "A"


def test_kinds_are_read_by_code_label_in_either_language_and_synonym() -> None:
    kinds = kind_labels()
    assert kinds["church"] == kinds["iglesia"] == "church"
    assert kinds["fraternidad"] == kinds["pastors fraternity"] == "fraternity"
    assert kinds["oficina sectorial"] == kinds["sector office"] == "sector_office"
    assert kinds["ministry office"] == "sector_office"


def test_viewers_and_focal_points_cannot_confirm_an_import(world, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    job = import_services.import_check(
        job=import_services.import_job_create(
            kind=ORGANIZATIONS,
            by=world.users["coordinator"],
            region=world.region_a,
            upload=SimpleUploadedFile("o.csv", b"tipo,nombre\nIglesia,A\n"),
        )
    )
    url = reverse("organization-import-confirm", args=[world.region_a.code, job.pk])
    for role in ("focal", "viewer"):
        assert world.client(role).post(url).status_code == 403
    assert not Organization.objects.exists() and not Contact.objects.exists()
