"""The materials library: language versions are checked before their file is stored, and
admins choose the playbook stages that use each material."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amparo.partnerships.models import Material, MaterialVersion
from amparo.rollout.models import Stage
from amparo.tests.queries import page_queries

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.fixture
def material(media_root) -> Material:
    return Material.objects.create(code="serie", title_es="Serie", title_en="Series", kind="series")


@pytest.fixture
def stages(world) -> list[Stage]:
    from amparo.catalog.sync import LoadCount
    from amparo.rollout.services import playbook_catalog_load

    playbook_catalog_load(pack="pe", count=LoadCount())
    return list(Stage.objects.filter(code__in=["conferencia", "capacitacion", "lanzamiento"]))


def _stored_files(media_root: Path) -> list[Path]:
    return [p for p in Path(media_root).rglob("*") if p.is_file()]


def _add_version(world, material: Material, language: str, version: str = "1"):
    return world.client("admin").post(
        reverse("material-version-add", args=[material.pk]),
        {"language": language, "version": version, "file": SimpleUploadedFile("serie.pdf", PDF)},
        follow=True,
    )


def test_it_stores_the_language_code_in_lower_case(world, material):
    _add_version(world, material, " AGR ")
    assert list(material.versions.values_list("language", "version")) == [("agr", "1")]


@pytest.mark.parametrize("language", ["ES", " es", "Es "])
def test_it_refuses_a_duplicate_version_whatever_its_case_and_keeps_no_file(
    world, material, media_root, language
):
    _add_version(world, material, "es")
    assert len(_stored_files(media_root)) == 1
    response = _add_version(world, material, language)
    assert "Este idioma ya tiene esa versión." in response.content.decode()
    assert MaterialVersion.objects.count() == 1
    assert len(_stored_files(media_root)) == 1


def test_an_admin_chooses_the_stages_that_use_a_material(world, material, stages):
    conferencia, capacitacion, lanzamiento = sorted(stages, key=lambda s: s.order)
    material.stages.set([lanzamiento])
    admin = world.client("admin")
    url = reverse("material-edit", args=[material.pk])
    assert set(admin.get(url).context["form"].initial["stages"]) == {lanzamiento}
    response = admin.post(url, {"stages": [conferencia.pk, capacitacion.pk]})
    assert response.status_code == 302 and response["Location"] == reverse("materials")
    assert set(material.stages.all()) == {conferencia, capacitacion}
    library = admin.get(reverse("materials")).content.decode()
    assert url in library and f"{conferencia.name}, {capacitacion.name}" in library


@pytest.mark.parametrize(("role", "status"), [("coordinator", 403), ("viewer", 403)])
def test_only_admins_change_a_materials_stages(world, material, stages, role, status):
    url = reverse("material-edit", args=[material.pk])
    client = world.client(role)
    assert client.post(url, {"stages": [stages[0].pk]}).status_code == status
    assert not material.stages.exists()
    assert url not in client.get(reverse("materials")).content.decode()


def test_the_edit_page_costs_the_same_with_more_stages_chosen(world, material, stages):
    admin = world.client("admin")
    url = reverse("material-edit", args=[material.pk])
    small = page_queries(admin, url)
    material.stages.set(Stage.objects.all())
    assert page_queries(admin, url) == small


@pytest.mark.parametrize(("language", "filename"), [("es", "convenio"), ("en", "agreement")])
def test_an_agreement_without_a_name_downloads_under_a_translated_name(
    world, media_root, language, filename
):
    from amparo.partnerships.models import Partnership
    from amparo.territory.models import Organization

    organization = Organization.objects.create(name="F", kind="fraternity", region=world.region_a)
    partnership = Partnership.objects.create(
        region=world.region_a, organization=organization, since="2026-09-01"
    )
    partnership.agreement.save("x.pdf", SimpleUploadedFile("x.pdf", PDF))
    client = world.client("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("agreement-download", args=["PE-LOR", partnership.pk]))
    b"".join(response.streaming_content)
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_an_admin_adds_a_material_with_the_stages_that_use_it(world, stages):
    response = world.client("admin").post(
        reverse("materials"),
        {
            "code": "manual-lideres",
            "title_es": "Manual de líderes",
            "title_en": "Leaders' manual",
            "kind": "manual",
            "stages": [s.pk for s in stages[:2]],
        },
    )
    assert response.status_code == 302
    material = Material.objects.get(code="manual-lideres")
    assert (material.title_es, material.title_en, material.kind) == (
        "Manual de líderes",
        "Leaders' manual",
        "manual",
    )
    assert set(material.stages.all()) == set(stages[:2])
    assert material.history.count() == 1


def test_a_material_code_already_used_is_refused_on_the_form(world, material):
    response = world.client("admin").post(
        reverse("materials"),
        {"code": "serie", "title_es": "Otra", "title_en": "Other", "kind": "handout"},
    )
    assert response.status_code == 200
    assert Material.objects.count() == 1
    assert response.context["form"].errors["code"]


@pytest.mark.parametrize("role", ["coordinator", "focal", "viewer"])
def test_only_admins_add_materials(world, role):
    response = world.client(role).post(
        reverse("materials"), {"code": "x", "title_es": "X", "title_en": "X", "kind": "handout"}
    )
    assert response.status_code == 403
    assert not Material.objects.exists()


def test_the_service_refuses_a_material_without_a_kind(world):
    from django.core.exceptions import ValidationError

    from amparo.partnerships import services

    with pytest.raises(ValidationError):
        services.material_add(code="x", title_es="X", title_en="X", kind="", stages=[])
    assert not Material.objects.exists()
