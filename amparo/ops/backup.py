"""Consistent backups: every row (as Django's JSON fixtures) and every uploaded file, in one
zip with a manifest of counts and checksums; restore puts them back into an empty database.
Works the same on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

# Rebuilt by migrate, or not data at all.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_tasks_database",
]
FORMAT_VERSION = 1


def _models():
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in EXCLUDED or label in EXCLUDED or not model._meta.managed:
            continue
        yield model


def counts() -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.count() for m in _models()}


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def backup(path: Path) -> dict[str, object]:
    """Write the backup to ``path``; returns its manifest. Rows are read in one transaction
    so that they are consistent with each other."""
    with transaction.atomic():
        data = io.StringIO()
        call_command(
            "dumpdata",
            *[f"--exclude={e}" for e in EXCLUDED],
            "--natural-foreign",
            format="json",
            stdout=data,
        )
        manifest = {"format": FORMAT_VERSION, "counts": counts(), "files": {}}
    root = Path(settings.MEDIA_ROOT)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", data.getvalue())
        for file in _media_files():
            name = file.relative_to(root).as_posix()
            content = file.read_bytes()
            manifest["files"][name] = hashlib.sha256(content).hexdigest()
            archive.writestr(f"media/{name}", content)
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    return manifest


class RestoreError(ValueError):
    """The backup cannot be restored here (the message says why)."""


def restore(path: Path) -> dict[str, object]:
    """Load a backup into an empty, migrated database and put its files back; everything is
    checked against the manifest, and the rows go in one transaction."""
    if any(counts().values()):
        raise RestoreError("the database is not empty; restore into a freshly migrated database")
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        raise RestoreError(f"{path} is not an amparo backup") from None
    with archive:
        manifest = json.loads(archive.read("manifest.json"))
        if manifest.get("format") != FORMAT_VERSION:
            raise RestoreError("this backup was made by another version of amparo")
        root = Path(settings.MEDIA_ROOT)
        for name, digest in manifest["files"].items():
            content = archive.read(f"media/{name}")
            if hashlib.sha256(content).hexdigest() != digest:
                raise RestoreError(f"file {name} is damaged in the backup")
        with transaction.atomic():
            objects = serializers.deserialize(
                "json", archive.read("data.json"), handle_forward_references=True
            )
            deferred = []
            for obj in objects:
                obj.save()
                if obj.deferred_fields:
                    deferred.append(obj)
            for obj in deferred:
                obj.save_deferred_fields()
            if counts() != manifest["counts"]:
                raise RestoreError("the restored rows do not match the backup's counts")
        for name in manifest["files"]:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.read(f"media/{name}"))
    return manifest
