"""A restore refuses a backup it cannot trust, says why, and then leaves the database and
the files exactly as they were: a damaged file, another format, rows that do not add up."""

from __future__ import annotations

import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from amparo.ops import backup as backups
from amparo.territory.models import Organization, Region


@pytest.fixture
def archive(db, settings, tmp_path) -> Path:
    """A backup of two rows and one uploaded file, after which the database and the media
    folder are emptied again, as on a fresh server."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "agreements").mkdir(parents=True)
    (settings.MEDIA_ROOT / "agreements" / "convenio.pdf").write_bytes(b"%PDF-1.4 firmado")
    region = Region.objects.create(code="PE-LOR", name="Loreto", capital="Iquitos", country="PE")
    Organization.objects.create(name="Fraternidad", kind="fraternity", region=region)
    path = tmp_path / "backup.zip"
    manifest = backups.backup(path)
    assert manifest["counts"]["territory.region"] == 1
    assert list(manifest["files"]) == ["agreements/convenio.pdf"]
    Organization.objects.all().delete()
    Organization.history.all().delete()
    Region.objects.all().delete()
    (settings.MEDIA_ROOT / "agreements" / "convenio.pdf").unlink()
    return path


def _rewrite(path: Path, change: dict[str, bytes]) -> None:
    """Replace some members of the zip at ``path``."""
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members.update(change)
    with zipfile.ZipFile(path, "w") as target:
        for name, content in members.items():
            target.writestr(name, content)


def _manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as source:
        return json.loads(source.read("manifest.json"))


def _nothing_restored(settings) -> None:
    assert not any(backups.counts().values())
    assert not (settings.MEDIA_ROOT / "agreements" / "convenio.pdf").exists()


def test_a_sound_backup_comes_back_whole(archive, settings) -> None:
    call_command("restore", str(archive), stdout=(out := StringIO()))
    assert "restored 3 rows and 1 files" in out.getvalue()  # with its history row
    assert Organization.objects.get().region.code == "PE-LOR"
    assert (settings.MEDIA_ROOT / "agreements" / "convenio.pdf").read_bytes() == (
        b"%PDF-1.4 firmado"
    )


def test_a_damaged_file_is_named_and_nothing_is_restored(archive, settings) -> None:
    _rewrite(archive, {"media/agreements/convenio.pdf": b"%PDF-1.4 cambiado"})
    with pytest.raises(CommandError, match=r"file agreements/convenio\.pdf is damaged"):
        call_command("restore", str(archive), stdout=StringIO())
    _nothing_restored(settings)


def test_a_backup_of_another_format_is_refused(archive, settings) -> None:
    manifest = _manifest(archive)
    manifest["format"] = backups.FORMAT_VERSION + 1
    _rewrite(archive, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(CommandError, match="made by a newer amparo"):
        call_command("restore", str(archive), stdout=StringIO())
    _nothing_restored(settings)


def test_rows_that_do_not_match_the_manifest_are_rolled_back(archive, settings) -> None:
    manifest = _manifest(archive)
    manifest["counts"]["territory.organization"] = 5
    _rewrite(archive, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(CommandError, match="do not match the backup's counts"):
        call_command("restore", str(archive), stdout=StringIO())
    _nothing_restored(settings)


def test_a_backup_with_a_row_left_out_is_rolled_back(archive, settings) -> None:
    with zipfile.ZipFile(archive) as source:
        rows = json.loads(source.read("data.json"))
    kept = [row for row in rows if row["model"] != "territory.organization"]
    assert len(kept) == len(rows) - 1
    _rewrite(archive, {"data.json": json.dumps(kept).encode()})
    with pytest.raises(CommandError, match="do not match"):
        call_command("restore", str(archive), stdout=StringIO())
    _nothing_restored(settings)


def test_restore_never_writes_over_a_database_in_use(archive, settings) -> None:
    Region.objects.create(code="PE-UCA", name="Ucayali", capital="Pucallpa", country="PE")
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive), stdout=StringIO())
    assert list(Region.objects.values_list("code", flat=True)) == ["PE-UCA"]
    assert not (settings.MEDIA_ROOT / "agreements" / "convenio.pdf").exists()


def test_a_missing_file_is_not_a_backup(db, tmp_path) -> None:
    with pytest.raises(CommandError, match="is not an amparo backup"):
        call_command("restore", str(tmp_path / "nowhere.zip"), stdout=StringIO())


def test_the_backup_command_reports_what_it_kept(db, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    Region.objects.create(code="PE-LOR", name="Loreto", capital="Iquitos", country="PE")
    call_command("backup", str(tmp_path / "b.zip"), stdout=(out := StringIO()))
    assert "1 rows, 0 files" in out.getvalue()
    with zipfile.ZipFile(tmp_path / "b.zip") as made:
        assert sorted(made.namelist()) == ["data.json", "manifest.json"]
