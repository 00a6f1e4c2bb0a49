"""A backup restored into an empty database gives back every row and every file."""

from __future__ import annotations

import hashlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from amparo.mitigation import services as mitigation_services
from amparo.mitigation.models import Measure
from amparo.ops import backup as backups

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _wipe() -> None:
    """An empty database as after ``migrate``: flush empties every table."""
    call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_give_back_every_row_and_file(settings, tmp_path) -> None:
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=StringIO())
    measure = Measure.objects.first()
    mitigation_services.evidence_add(
        measure=measure,
        by=measure.owner,
        description="acta",
        upload=SimpleUploadedFile("acta.pdf", PDF),
    )
    before = backups.counts()
    files_before = {
        p.relative_to(settings.MEDIA_ROOT).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in Path(settings.MEDIA_ROOT).rglob("*")
        if p.is_file()
    }
    archive = tmp_path / "amparo.zip"
    call_command("backup", str(archive), stdout=(out := StringIO()))
    assert f"{sum(before.values())} rows, {len(files_before)} files" in out.getvalue()

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=StringIO())
    _wipe()
    for path in Path(settings.MEDIA_ROOT).rglob("*"):
        if path.is_file():
            path.unlink()
    assert not any(backups.counts().values())
    call_command("restore", str(archive), stdout=StringIO())
    assert backups.counts() == before
    files_after = {
        p.relative_to(settings.MEDIA_ROOT).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in Path(settings.MEDIA_ROOT).rglob("*")
        if p.is_file()
    }
    assert files_after == files_before and len(files_after) >= 1


def test_restore_refuses_what_is_not_a_backup(db, tmp_path) -> None:
    bogus = tmp_path / "x.zip"
    bogus.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="not an amparo backup"):
        call_command("restore", str(bogus), stdout=StringIO())
