"""Importing organizations and contacts through the import pipeline: the template, an
XLSX of 40 churches, errors that import nothing, likely duplicates confirmed by the
person, the regions a person may change, and the pages per role."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from amparo.imports import services as import_services
from amparo.imports.models import ImportJob
from amparo.territory.import_kind import ORGANIZATIONS, kind_labels
from amparo.territory.models import Contact, Organization
from amparo.territory.organization_import import COLUMNS, header_fields

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ES = ["tipo", "nombre", "ciudad", "pertenece a", "contacto", "cargo", "correo", "teléfono"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def xlsx(rows: list[list[str]], header: list[str] = ES) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_file(rows: list[list[str]], header: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def churches(n: int) -> list[list[str]]:
    return [
        [
            "Iglesia",
            f"Iglesia Evangélica {i:02d}",
            "Iquitos" if i % 2 else "Nauta",
            "Fraternidad de Pastores de Loreto",
            f"Pastor {i:02d}",
            "Pastor principal",
            f"pastor{i:02d}@iglesias.example.org",
            f"+51 965 000 {i:03d}",
        ]
        for i in range(1, n + 1)
    ]


def upload(client, region, name: str, content: bytes):
    return client.post(
        reverse("organization-import", args=[region.code]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_a_coordinator_imports_40_churches_from_an_xlsx(world) -> None:
    region = world.region_a
    Organization.objects.create(
        name="Fraternidad de Pastores de Loreto", kind="fraternity", region=region, city="Iquitos"
    )
    client = world.client("coordinator")
    response = upload(client, region, "iglesias.xlsx", xlsx(churches(40)))
    job = ImportJob.objects.get(kind="organizations")
    assert response.url == reverse("organization-import-job", args=[region.code, job.pk])
    assert (job.status, job.rows_read, job.rows_valid, job.problem_count) == ("ready", 40, 40, 0)
    assert Organization.objects.filter(kind="church").count() == 0  # nothing until confirmed
    page = client.get(response.url).content.decode()
    assert "Importar 40 filas" in page
    client.post(reverse("organization-import-confirm", args=[region.code, job.pk]))
    job.refresh_from_db()
    assert (job.status, job.rows_imported) == ("done", 40)
    imported = Organization.objects.filter(kind="church", region=region)
    assert imported.count() == 40
    assert {o.parent.name for o in imported.select_related("parent")} == {
        "Fraternidad de Pastores de Loreto"
    }
    contact = Contact.objects.get(name="Pastor 07")
    assert (contact.organization.name, contact.email, contact.title) == (
        "Iglesia Evangélica 07",
        "pastor07@iglesias.example.org",
        "Pastor principal",
    )
    assert contact.organization.history.count() >= 1  # recorded in the change history
    # The same file again: every row is already there, nothing more would be imported.
    upload(client, region, "iglesias.xlsx", xlsx(churches(40)))
    again = ImportJob.objects.filter(kind="organizations").order_by("-created_at").first()
    assert (again.status, again.rows_already, again.to_import) == ("ready", 40, 0)


def test_english_headers_in_a_csv_are_accepted(world) -> None:
    header = ["Kind", "Name", "City", "Contact", "Email", "Region"]
    rows = [
        ["Sector office", "DIRCETUR Loreto", "Iquitos", "Head of office", "", "PE-LOR"],
        ["Pastors' fraternity", "Fraternity of Nauta", "Nauta", "", "", "Loreto"],
    ]
    job = import_services.import_check(
        job=import_services.import_job_create(
            kind=ORGANIZATIONS,
            by=world.users["admin"],
            region=world.region_a,
            upload=SimpleUploadedFile("orgs.csv", csv_file(rows, header)),
        )
    )
    assert (job.status, job.rows_valid) == ("ready", 2)
    import_services.import_confirm(job=job, by=world.users["admin"], keep_file=False)
    import_services.import_write(job=job)
    assert set(Organization.objects.values_list("kind", flat=True)) == {
        "sector_office",
        "fraternity",
    }


def test_a_file_with_errors_imports_nothing_and_names_each_problem(world) -> None:
    rows = churches(3)
    rows[1][0] = "Mezquita"
    rows[2][6] = "no-es-correo"
    rows[0][3] = "Fraternidad que no existe"
    client = world.client("coordinator")
    response = upload(client, world.region_a, "iglesias.xlsx", xlsx(rows))
    job = ImportJob.objects.get()
    assert job.status == "failed" and job.rows_valid == 0
    assert [(p[0], p[2]) for p in job.problems] == [
        (3, "unknown_kind"),
        (4, "bad_email"),
    ]  # parents are checked once every row is valid
    page = client.get(response.url).content.decode()
    assert "tipo de organización desconocido" in page and "no es una dirección" in page
    assert "confirm-form" not in page
    assert not Organization.objects.exists()


def test_an_unknown_parent_is_an_error(world) -> None:
    upload(world.client("coordinator"), world.region_a, "i.xlsx", xlsx(churches(2)))
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert {p[2] for p in job.problems} == {"unknown_parent"}


def test_a_region_the_coordinator_cannot_change_is_refused_by_row(world) -> None:
    header = ["tipo", "nombre", "región"]
    content = csv_file([["Iglesia", "Iglesia de Pucallpa", "Ucayali"]], header)
    upload(world.client("coordinator"), world.region_a, "o.csv", content)
    job = ImportJob.objects.get()
    assert (job.status, job.problems[0][2]) == ("failed", "region_not_allowed")
    upload(world.client("admin"), world.region_a, "o.csv", content)
    job = ImportJob.objects.filter(created_by=world.users["admin"]).get()
    assert job.status == "ready"
    world.client("admin").post(
        reverse("organization-import-confirm", args=[world.region_a.code, job.pk])
    )
    assert Organization.objects.get().region == world.region_b


def test_likely_duplicates_are_shown_and_imported_only_when_confirmed(world) -> None:
    region = world.region_a
    Organization.objects.create(
        name="Iglesia Bautista Belén", kind="church", region=region, city="Iquitos"
    )
    rows = [
        ["Iglesia", "IGLESIA BAUTISTA BELEN", "Iquitos", "", "", "", "", ""],
        ["Iglesia", "Iglesia del Sur", "Iquitos", "", "", "", "", ""],
        ["Iglesia", "Iglesia del sur.", "IQUITOS", "", "", "", "", ""],
    ]
    client = world.client("coordinator")
    response = upload(client, region, "d.xlsx", xlsx(rows))
    job = ImportJob.objects.get()
    assert (job.status, job.rows_valid, job.rows_already, job.to_import) == ("ready", 3, 2, 1)
    page = client.get(response.url).content.decode()
    assert page.count('name="confirm_row"') == 2 and 'form="confirm-form"' in page
    client.post(
        reverse("organization-import-confirm", args=[region.code, job.pk]), {"confirm_row": ["2"]}
    )
    job.refresh_from_db()
    assert (job.status, job.rows_imported, job.confirmed_rows) == ("done", 2, [2])
    assert set(Organization.objects.values_list("name", flat=True)) == {
        "Iglesia Bautista Belén",
        "IGLESIA BAUTISTA BELEN",
        "Iglesia del Sur",
    }


def test_the_write_is_one_transaction(world, monkeypatch) -> None:
    Organization.objects.create(
        name="Fraternidad de Pastores de Loreto", kind="fraternity", region=world.region_a
    )
    job = import_services.import_check(
        job=import_services.import_job_create(
            kind=ORGANIZATIONS,
            by=world.users["admin"],
            region=world.region_a,
            upload=SimpleUploadedFile("i.xlsx", xlsx(churches(5))),
        )
    )
    import_services.import_confirm(job=job, by=world.users["admin"], keep_file=False)
    saved = Contact.save

    def fail_on_the_fourth(self, *args, **kwargs):
        if self.name == "Pastor 04":
            raise RuntimeError("disk full")
        return saved(self, *args, **kwargs)

    monkeypatch.setattr(Contact, "save", fail_on_the_fourth)
    job = import_services.import_write(job=job)
    assert (job.status, job.problems[0][2]) == ("failed", "write_failed")
    assert Organization.objects.count() == 1 and not Contact.objects.exists()


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_template_has_headers_the_import_reads(world, language) -> None:
    client = world.client("coordinator")
    url = reverse("organization-import-template", args=[world.region_a.code])
    response = client.get(url, {"lang": language})
    assert response["Content-Type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    header = [c.value for c in workbook.worksheets[0][1]]
    assert sorted(header_fields(header).values()) == sorted(COLUMNS)
    assert ("tipo *" if language == "es" else "kind *") in header
    kinds = [row[0].value for row in workbook.worksheets[1].iter_rows(min_row=2)]
    assert "church" in kinds and all(k in kind_labels().values() for k in kinds)
    as_csv = client.get(url, {"lang": language, "format": "csv"})
    assert as_csv["Content-Type"] == "text/csv"
    assert as_csv.content.decode("utf-8-sig").splitlines()[0].startswith(header[0])


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("coordinator", 200), ("focal", 403), ("viewer", 403), ("outsider", 404)],
)
def test_who_opens_the_import_pages(world, role, status) -> None:
    client = world.client(role)
    job = ImportJob.objects.create(
        kind="organizations", region=world.region_a, original_name="x.csv", file_format="csv"
    )
    code = world.region_a.code
    for url in (
        reverse("organization-import", args=[code]),
        reverse("organization-import-template", args=[code]),
        reverse("organization-import-job", args=[code, job.pk]),
    ):
        assert client.get(url).status_code == status, url


def test_the_import_pages_are_in_english_and_read_bounded_queries(
    world, django_assert_max_num_queries
) -> None:
    client = world.client("coordinator")
    client.cookies["django_language"] = "en"
    Organization.objects.create(
        name="Fraternidad de Pastores de Loreto", kind="fraternity", region=world.region_a
    )
    for n in range(3):
        upload(client, world.region_a, f"i{n}.xlsx", xlsx(churches(5 + n)))
    job = ImportJob.objects.first()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("organization-import", args=[world.region_a.code]))
    assert "Import organizations and contacts" in page.content.decode()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("organization-import-job", args=[world.region_a.code, job.pk]))
    assert "Import 7 rows" in page.content.decode()


def test_the_region_page_links_to_the_import_for_those_who_may_change(world) -> None:
    url = reverse("region-detail", args=[world.region_a.code])
    link = reverse("organization-import", args=[world.region_a.code])
    assert link in world.client("coordinator").get(url).content.decode()
    assert link not in world.client("viewer").get(url).content.decode()


def test_rows_already_in_the_region_are_named_and_nothing_new_is_offered(world) -> None:
    Organization.objects.create(
        name="Iglesia Central", kind="church", region=world.region_a, city="Iquitos"
    )
    client = world.client("coordinator")
    rows = [["Iglesia", "Iglesia Central", "Iquitos", "", "", "", "", ""]]
    response = upload(client, world.region_a, "o.xlsx", xlsx(rows))
    page = client.get(response.url).content.decode()
    assert "ya está en la región: se omite" in page
    assert 'name="confirm_row"' not in page  # nothing to confirm: the same organization
    job = ImportJob.objects.get()
    assert (job.rows_already, job.to_import) == (1, 0)
