"""Upgrades: a backup made by an earlier amparo (kept here as a fixture, made by the
``amparo backup`` of commit 3d7e08e on its demo data) restores into this one, its rows
brought up to date by the migrations; one from a newer amparo is refused with a message.
A full disk while writing a backup or restoring files leaves nothing half-written."""

from __future__ import annotations

import errno
import json
import zipfile
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

import amparo
from amparo.imports.models import ImportJob
from amparo.ops import backup as backups
from amparo.questionnaires.models import Submission
from amparo.territory.models import Organization

FIXTURE = Path(__file__).parent / "fixtures" / "backup-0.1-3d7e08e.zip"


def _manifest(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def _rewrite_manifest(source: Path, target: Path, **changes: object) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            content = old.read(item)
            if item.filename == "manifest.json":
                content = json.dumps({**json.loads(content), **changes}).encode()
            new.writestr(item, content)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_backup_of_an_earlier_version_restores_and_is_brought_up_to_date(
    settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    old = _manifest(FIXTURE)
    assert old["format"] == 1 and "migrations" not in old  # as 0.1 wrote them
    call_command("restore", str(FIXTURE), stdout=(out := StringIO()))
    assert "restored" in out.getvalue()
    assert Organization.objects.count() == old["counts"]["territory.organization"]
    # The field-answer imports of 0.1 were moved into the import pipeline by the
    # migrations, and the submissions they brought in still point to them.
    jobs = ImportJob.objects.filter(kind="field_answers")
    assert jobs.count() == old["counts"]["questionnaires.importjob"] == 2
    assert Submission.objects.count() == old["counts"]["questionnaires.submission"]
    assert not Submission.objects.exclude(job__in=jobs).exists()
    for name in old["files"]:
        assert (settings.MEDIA_ROOT / name).is_file()
    # And this version's backup of it records what it was made with.
    call_command("backup", str(tmp_path / "now.zip"), stdout=StringIO())
    now = _manifest(tmp_path / "now.zip")
    assert now["format"] == 2 and now["amparo_version"] == amparo.__version__
    assert "0001_worker_beats_and_job_states" in now["migrations"]["ops"]


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_a_newer_version_is_refused_with_a_message(tmp_path) -> None:
    newer = tmp_path / "newer.zip"
    _rewrite_manifest(
        FIXTURE,
        newer,
        format=2,
        amparo_version="9.0.0",
        migrations={"territory": ["0001_initial", "0099_from_the_future"]},
    )
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(newer), stdout=StringIO())
    message = str(refused.value)
    assert "made by a newer amparo (9.0.0)" in message
    assert "territory.0099_from_the_future" in message and "install amparo 9.0.0" in message
    assert not Organization.objects.exists()
    _rewrite_manifest(FIXTURE, newer, format=3, amparo_version="9.1.0")
    with pytest.raises(CommandError, match=r"newer amparo \(9\.1\.0, backup format 3\)"):
        call_command("restore", str(newer), stdout=StringIO())


@pytest.mark.django_db(transaction=True)
def test_a_backup_and_restore_round_trip_at_this_version(settings, tmp_path, world) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "a.pdf").write_bytes(b"%PDF-1.4 a")
    before = backups.counts()
    archive = tmp_path / "b.zip"
    call_command("backup", str(archive), stdout=StringIO())
    call_command("flush", interactive=False, verbosity=0)
    (settings.MEDIA_ROOT / "evidence" / "a.pdf").unlink()
    call_command("restore", str(archive), stdout=StringIO())
    assert backups.counts() == before
    assert (settings.MEDIA_ROOT / "evidence" / "a.pdf").read_bytes() == b"%PDF-1.4 a"


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.django_db
def test_a_full_disk_during_a_backup_says_so_and_leaves_no_file(settings, tmp_path, world) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    (settings.MEDIA_ROOT / "evidence" / "a.pdf").write_bytes(b"%PDF-1.4 a")
    target = tmp_path / "out"
    target.mkdir()
    real_writestr = zipfile.ZipFile.writestr

    def full_after_the_rows(self, name, data, *args, **kwargs):
        if name != "data.json":
            _disk_full()
        return real_writestr(self, name, data, *args, **kwargs)

    with (
        mock.patch.object(zipfile.ZipFile, "writestr", full_after_the_rows),
        pytest.raises(CommandError) as failed,
    ):
        call_command("backup", str(target / "b.zip"), stdout=StringIO())
    assert str(failed.value) == (
        f"not enough space on the disk to write the backup {target / 'b.zip'}; nothing was written"
    )
    assert list(target.iterdir()) == []  # neither the backup nor its partial file


@pytest.mark.django_db
def test_a_backup_that_cannot_be_written_keeps_an_older_one_of_the_same_name(
    settings, tmp_path, world
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = tmp_path / "b.zip"
    archive.write_bytes(b"yesterday's backup")
    with (
        mock.patch("os.replace", side_effect=PermissionError(errno.EACCES, "Permission denied")),
        pytest.raises(backups.BackupError, match=r"cannot write the backup .*Permission denied"),
    ):
        backups.backup(archive)
    assert archive.read_bytes() == b"yesterday's backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


@pytest.mark.django_db(transaction=True)
def test_a_full_disk_while_restoring_files_leaves_no_rows_and_no_files(
    settings, tmp_path, world
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True)
    for name in ("a.pdf", "b.pdf"):
        (settings.MEDIA_ROOT / "evidence" / name).write_bytes(b"%PDF-1.4 " + name.encode())
    archive = tmp_path / "b.zip"
    backups.backup(archive)
    call_command("flush", interactive=False, verbosity=0)
    for path in (settings.MEDIA_ROOT / "evidence").iterdir():
        path.unlink()
    real_write = Path.write_bytes
    calls = []

    def fail_second(self, data):
        calls.append(self)
        if len(calls) == 2:
            _disk_full()
        return real_write(self, data)

    with (
        mock.patch.object(Path, "write_bytes", fail_second),
        pytest.raises(backups.RestoreError, match="not enough space on the disk"),
    ):
        backups.restore(archive)
    assert not any(backups.counts().values())
    assert list((settings.MEDIA_ROOT / "evidence").iterdir()) == []
