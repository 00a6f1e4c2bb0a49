"""A full disk on upload and on report generation: the person is told clearly, no partial
file stays on disk, no row points to a file that is not there. (Backups: see
test_upgrade_and_full_disk.)"""

from __future__ import annotations

import errno
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amparo import storage
from amparo.imports.models import ImportJob
from amparo.indicators.import_kind import OBSERVATIONS
from amparo.mitigation import services as mitigation_services
from amparo.mitigation.models import Evidence, Measure
from amparo.reports import services as report_services
from amparo.reports.models import ReportFile, ReportStatus

CSV = b"indicator,region,period,value,source\nOUT-TRAINED,PE-LOR,2024-T1,3,DRE\n"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _half_then_full(content, out) -> None:
    """Writes part of the file, then the disk is full."""
    out.write(b"half a file")
    raise OSError(errno.ENOSPC, "No space left on device")


def _files(root: Path) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


@pytest.fixture
def full_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with mock.patch.object(storage, "_copy", _half_then_full):
        yield settings.MEDIA_ROOT


def test_storage_writes_whole_files_and_never_overwrites(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    first = default_storage.save("reports/a", ContentFile(b"one"))
    second = default_storage.save("reports/a", ContentFile(b"two"))
    assert first == "reports/a" and second != first
    assert (tmp_path / first).read_bytes() == b"one"
    assert (tmp_path / second).read_bytes() == b"two"
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == sorted(
        [Path(first).name, Path(second).name]
    )


def test_a_full_disk_leaves_no_partial_file(full_disk) -> None:
    with pytest.raises(OSError) as failed:
        default_storage.save("reports/a", ContentFile(b"content"))
    assert storage.disk_full(failed.value)
    assert _files(full_disk) == []


def test_an_import_upload_on_a_full_disk_is_refused_clearly_and_keeps_nothing(
    world, full_disk
) -> None:
    with pytest.raises(ValidationError) as refused:
        from amparo.imports import services

        services.import_job_create(
            kind=OBSERVATIONS,
            by=world.users["coordinator"],
            region=world.region_a,
            upload=SimpleUploadedFile("valores.csv", CSV),
        )
    assert "El disco del servidor está lleno" in str(refused.value.message_dict["file"])
    assert not ImportJob.objects.exists() and _files(full_disk) == []


def test_the_upload_page_says_the_disk_is_full(world, full_disk) -> None:
    page = world.client("coordinator").post(
        reverse("indicator-import", args=[world.region_a.code]),
        {"file": SimpleUploadedFile("valores.csv", CSV)},
        follow=True,
    )
    assert page.status_code == 200
    assert "El disco del servidor está lleno: no se guardó el archivo" in page.content.decode()
    assert not ImportJob.objects.exists() and _files(full_disk) == []


def test_evidence_on_a_full_disk_is_refused_clearly_and_keeps_nothing(world, full_disk) -> None:
    measure = Measure.objects.create(
        region=world.region_a, sector=world.sector, kind="policy", title="m"
    )
    with pytest.raises(ValidationError) as refused:
        mitigation_services.evidence_add(
            measure=measure,
            by=world.users["coordinator"],
            description="acta",
            upload=SimpleUploadedFile("acta.pdf", PDF),
        )
    assert "El disco del servidor está lleno" in str(refused.value.message_dict["file"])
    assert not Evidence.objects.exists() and _files(full_disk) == []


def test_a_report_on_a_full_disk_fails_with_that_reason_and_no_file(world, full_disk) -> None:
    report, _ = report_services.report_request(
        regions=[world.region_a],
        region=world.region_a,
        kind="workbook",
        file_format="xlsx",
        lang="es",
        donor=False,
        since=None,
        by=world.users["coordinator"],
    )
    with mock.patch.object(report_services.render, "workbook_xlsx", return_value=b"PK xlsx"):
        done = report_services.report_generate(report=report, regions=[world.region_a])
    assert (done.status, done.failure, done.file.name) == (ReportStatus.FAILED, "disk_full", "")
    assert _files(full_disk) == []
    page = world.client("coordinator").get(reverse("report-status", args=[report.pk]))
    assert "El disco del servidor está lleno, así que no se pudo guardar el informe" in (
        page.content.decode()
    )
    ReportFile.objects.filter(pk=report.pk).update(failure="worker_lost")
    page = world.client("coordinator").get(reverse("report-status", args=[report.pk]))
    assert "se detuvo el proceso de fondo del servidor" in page.content.decode()
