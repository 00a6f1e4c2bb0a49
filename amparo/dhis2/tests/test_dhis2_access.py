"""Who may use the DHIS2 pages, and what each reader's download holds: the same rules as
the region's other pages (404 for a region not seen, 403 for an action not allowed)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amparo.dhis2 import services
from amparo.dhis2.import_kind import DHIS2_VALUES
from amparo.imports import services as import_services
from amparo.imports.models import ImportJob
from amparo.indicators.models import Indicator, Observation


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def named(world, starter_catalog):
    for kind, key, code in [
        ("data_element", "OUT-TRAINED", "deTrained01"),
        ("data_element", "OUT-TRAINED-TUR", "deTrainTur1"),
        ("data_element", "OUT-TRAINED-SAL", "deTrainSal1"),
        ("org_unit", "PE-LOR", "ouLoreto001"),
        ("category_option_combo", "", "cocTotal001"),
    ]:
        services.code_save(kind=kind, key=key, code=code)
    for code, value in (("OUT-TRAINED", "30"), ("OUT-TRAINED-TUR", "11"), ("OUT-TRAINED-SAL", "2")):
        Observation.objects.create(
            indicator=Indicator.objects.get(code=code),
            region=world.region_a,
            period=date(2026, 1, 1),
            value=Decimal(value),
        )


def _download(world, role: str) -> set[str]:
    response = world.client(role).get(
        reverse("dhis2-export", args=["PE-LOR"]), {"period": "2026", "format": "json"}
    )
    assert response.status_code == 200, role
    return {v["dataElement"] for v in json.loads(response.content)["dataValues"]}


def test_each_reader_downloads_what_they_may_read(world, named) -> None:
    assert _download(world, "admin") == {"deTrained01", "deTrainTur1", "deTrainSal1"}
    assert _download(world, "coordinator") == {"deTrained01", "deTrainTur1", "deTrainSal1"}
    # The tourism focal point: every-sector indicators and tourism's, not health's.
    assert _download(world, "focal") == {"deTrained01", "deTrainTur1"}
    # A viewer: the small count (2) is withheld.
    assert _download(world, "viewer") == {"deTrained01", "deTrainTur1"}


@pytest.mark.parametrize(
    ("role", "export", "upload", "mapping"),
    [
        ("admin", 200, 200, 200),
        ("coordinator", 200, 200, 403),
        ("focal", 200, 403, 403),
        ("viewer", 200, 403, 403),
        ("outsider", 404, 404, 403),
    ],
)
def test_the_pages_answer_each_role(world, named, role, export, upload, mapping) -> None:
    client = world.client(role)
    assert client.get(reverse("dhis2-export", args=["PE-LOR"])).status_code == export
    assert client.get(reverse("dhis2-import", args=["PE-LOR"])).status_code == upload
    assert client.get(reverse("dhis2-mapping")).status_code == mapping
    # Another region's pages are hidden from everyone but program-wide readers.
    other = client.get(reverse("dhis2-export", args=["PE-UCA"])).status_code
    assert other == (200 if role == "admin" else 404)


def test_only_program_admins_remove_a_name(world, named) -> None:
    from amparo.dhis2.models import Dhis2Code

    row = Dhis2Code.objects.get(key="PE-LOR")
    url = reverse("dhis2-mapping-delete", args=[row.pk])
    assert world.client("coordinator").post(url).status_code == 403
    assert world.client("admin").get(url).status_code == 405
    assert Dhis2Code.objects.filter(pk=row.pk).exists()


def test_a_dhis2_job_is_kept_apart_from_other_regions_and_can_be_discarded(world, named) -> None:
    content = (
        b'{"dataValues": [{"dataElement": "deTrained01", "period": "2026Q2", '
        b'"orgUnit": "ouLoreto001", "value": "8"}]}'
    )
    job = import_services.import_check(
        job=import_services.import_job_create(
            kind=DHIS2_VALUES,
            by=world.users["coordinator"],
            region=world.region_a,
            upload=SimpleUploadedFile("set.json", content),
        )
    )
    assert job.rows_valid == 1
    page = reverse("indicator-import-job", args=["PE-LOR", job.pk])
    assert world.client("coordinator").get(page).status_code == 200
    assert world.client("focal").get(page).status_code == 403
    assert world.client("outsider").get(page).status_code == 404
    elsewhere = reverse("indicator-import-job", args=["PE-UCA", job.pk])
    assert world.client("admin").get(elsewhere).status_code == 404
    listed = world.client("coordinator").get(reverse("dhis2-import", args=["PE-LOR"]))
    assert "set.json" in listed.content.decode()
    discard = reverse("indicator-import-discard", args=["PE-LOR", job.pk])
    assert world.client("coordinator").post(discard).status_code == 302
    assert ImportJob.objects.get(pk=job.pk).status == "discarded"
    assert not Observation.objects.filter(period=date(2026, 4, 1)).exists()
