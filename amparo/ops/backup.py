"""Consistent backups: every row (as Django's JSON fixtures) and every uploaded file, in one
zip with a manifest of counts, checksums, the amparo version and the database migrations
the rows were written under; restore puts them back into an empty database. Works the
same on SQLite and PostgreSQL.

Upgrades: a backup made by an earlier amparo is restored at the schema it was made with
and then brought up to date by the migrations, data migrations included; one made by a
newer amparo (with migrations this code does not know) is refused with a message.

A full disk (or any failed write) never leaves half a backup: the zip is written beside
its final name and renamed only when complete; a restore that cannot write its files
removes those it wrote and keeps no rows."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.serializers import python as python_serializer
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

import amparo

# Rebuilt by migrate, or not data at all.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "admin.logentry",
    "django_tasks_database",
    "ops",  # worker heartbeats and job runs belong to the server, not to the data
]
FORMAT_VERSION = 2
# 1: rows, files, counts. 2: also amparo's version and the applied migrations.


class BackupError(OSError):
    """The backup could not be written (the message says why); nothing was left."""


class RestoreError(ValueError):
    """The backup cannot be restored here (the message says why)."""


def _excluded(model) -> bool:
    label = model._meta.label_lower
    return model._meta.app_label in EXCLUDED or label in EXCLUDED or not model._meta.managed


def _models(registry=apps):
    for model in registry.get_models():
        if not _excluded(model):
            yield model


def counts() -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.count() for m in _models()}


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def applied_migrations() -> dict[str, list[str]]:
    applied = defaultdict(list)
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied[app].append(name)
    return dict(applied)


def _write_failure(error: OSError, what: str) -> str:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"not enough space on the disk to write {what}; nothing was written"
    return f"cannot write {what} ({error.strerror or error}); nothing was written"


def backup(path: Path) -> dict[str, object]:
    """Write the backup to ``path``; returns its manifest. Rows are read in one transaction
    so that they are consistent with each other. Raises ``BackupError`` when the file
    cannot be written; no partial file is left behind."""
    path = Path(path)
    with transaction.atomic():
        data = io.StringIO()
        call_command(
            "dumpdata",
            *[f"--exclude={e}" for e in EXCLUDED],
            "--natural-foreign",
            format="json",
            stdout=data,
        )
        manifest = {
            "format": FORMAT_VERSION,
            "amparo_version": amparo.__version__,
            "migrations": applied_migrations(),
            "counts": counts(),
            "files": {},
        }
    root = Path(settings.MEDIA_ROOT)
    partial = None
    try:
        descriptor, partial = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
        )
        with (
            os.fdopen(descriptor, "wb") as stream,
            zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            archive.writestr("data.json", data.getvalue())
            for file in _media_files():
                name = file.relative_to(root).as_posix()
                content = file.read_bytes()
                manifest["files"][name] = hashlib.sha256(content).hexdigest()
                archive.writestr(f"media/{name}", content)
            archive.writestr("manifest.json", json.dumps(manifest, indent=1))
        os.replace(partial, path)
        partial = None
    except OSError as error:
        raise BackupError(_write_failure(error, f"the backup {path}")) from None
    finally:
        if partial is not None:
            Path(partial).unlink(missing_ok=True)
    return manifest


def _refuse_newer(manifest: dict, loader: MigrationLoader) -> None:
    fmt = manifest.get("format")
    made_by = manifest.get("amparo_version", "an unknown version")
    if not isinstance(fmt, int) or fmt > FORMAT_VERSION:
        raise RestoreError(
            f"this backup was made by a newer amparo ({made_by}, backup format {fmt}); "
            f"this is amparo {amparo.__version__}: install amparo {made_by} or later to "
            "restore it"
        )
    unknown = sorted(
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if (app, name) not in loader.disk_migrations
    )
    if unknown:
        raise RestoreError(
            f"this backup was made by a newer amparo ({made_by}) whose database has changes "
            f"this amparo {amparo.__version__} does not know ({', '.join(unknown[:3])}"
            f"{'…' if len(unknown) > 3 else ''}): install amparo {made_by} or later to "
            "restore it"
        )


def _inferred_targets(objects: list[dict], loader: MigrationLoader) -> list[tuple]:
    """For a backup that did not record its migrations (format 1): per app, the earliest
    migration whose models hold every model and field the rows have (a dump names every
    field, so a field added later does not fit an earlier migration)."""
    seen: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for obj in objects:
        app, _, model = obj["model"].partition(".")
        seen[app][model] |= set(obj.get("fields", {}))
    targets = []
    for app in sorted(loader.migrated_apps):
        chain = [key for key in loader.graph.forwards_plan(_leaf(loader, app)) if key[0] == app]
        if app not in seen:
            continue
        for key in chain:
            # Model states, not rendered models: quick enough to try every migration.
            states = loader.project_state(key, at_end=True).models
            if all(
                (app, model) in states and fields <= set(states[(app, model)].fields)
                for model, fields in seen[app].items()
            ):
                targets.append(key)
                break
        else:
            raise RestoreError(f"this backup's {app} rows match no known version of amparo")
    return targets


def _leaf(loader: MigrationLoader, app: str) -> tuple[str, str]:
    leaves = loader.graph.leaf_nodes(app)
    return leaves[-1]


class _HistoricalDeserializer(python_serializer.Deserializer):
    """Django's deserializer, reading models as they were at the backup's migrations."""

    state_apps = apps

    def _get_model_from_node(self, model_identifier: str):
        try:
            return self.state_apps.get_model(model_identifier)
        except (LookupError, TypeError):
            raise python_serializer.base.DeserializationError(
                f"Invalid model identifier: '{model_identifier}'"
            ) from None


def _load_rows(objects: list[dict], state_apps) -> None:
    # Users are named by username in the rows (natural keys); the user model's manager as
    # the migrations know it needs the name of that field, which is not part of a schema.
    user = settings.AUTH_USER_MODEL
    with contextlib.suppress(LookupError):
        state_apps.get_model(user).USERNAME_FIELD = apps.get_model(user).USERNAME_FIELD
    deserializer = _HistoricalDeserializer(objects, handle_forward_references=True)
    deserializer.state_apps = state_apps
    deferred = []
    for obj in deserializer:
        obj.save()
        if obj.deferred_fields:
            deferred.append(obj)
    for obj in deferred:
        obj.save_deferred_fields()


def _state_counts(state_apps, labels) -> dict[str, int]:
    return {label: state_apps.get_model(label)._default_manager.count() for label in labels}


def restore(path: Path) -> dict[str, object]:
    """Restore a backup into an empty database (migrated or not) and put its files back.
    Everything is checked against the manifest. The files are written first, then the rows
    in one transaction at the backup's schema (the files are removed again if the rows
    fail), then the migrations bring the rows up to date."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile):
        raise RestoreError(f"{path} is not an amparo backup") from None
    with archive:
        try:
            manifest = json.loads(archive.read("manifest.json"))
        except (KeyError, ValueError):
            raise RestoreError(f"{path} is not an amparo backup") from None
        loader = MigrationLoader(connection, ignore_no_migrations=True)
        _refuse_newer(manifest, loader)
        call_command("migrate", verbosity=0)
        if any(counts().values()):
            raise RestoreError("the database is not empty; restore into a new, empty database")
        for name, digest in manifest["files"].items():
            if hashlib.sha256(archive.read(f"media/{name}")).hexdigest() != digest:
                raise RestoreError(f"file {name} is damaged in the backup")
        objects = json.loads(archive.read("data.json"))
        if "migrations" in manifest:
            targets = [
                _leaf_of(loader, app, names) for app, names in manifest["migrations"].items()
            ]
        else:
            targets = _inferred_targets(objects, loader)
        executor = MigrationExecutor(connection)
        latest = executor.loader.graph.leaf_nodes()
        # Roll the empty tables back to the backup's schema, load the rows there, check
        # them, then migrate forward: the migrations move the data as they did for
        # everyone who upgraded.
        executor.migrate(targets)
        state_apps = executor.loader.project_state(targets).apps
        written = _restore_files(archive, manifest["files"])
        try:
            with transaction.atomic():
                _load_rows(objects, state_apps)
                expected = {k: v for k, v in manifest["counts"].items() if v}
                if _state_counts(state_apps, expected) != expected:
                    raise RestoreError("the restored rows do not match the backup's counts")
        except BaseException:
            for target in written:
                target.unlink(missing_ok=True)
            raise
        MigrationExecutor(connection).migrate(latest)
    return manifest


def _leaf_of(loader: MigrationLoader, app: str, names: list[str]) -> tuple[str, str | None]:
    """The last of ``names`` in the app's order (the backup lists them sorted by name)."""
    if not names:
        return (app, None)
    applied = {(app, n) for n in names}
    chain = [k for k in loader.graph.forwards_plan(_leaf(loader, app)) if k[0] == app]
    last = [k for k in chain if k in applied]
    return last[-1] if last else (app, None)


def _restore_files(archive: zipfile.ZipFile, names: dict[str, str]) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    written: list[Path] = []
    try:
        for name in names:
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.partial")
            try:
                partial.write_bytes(archive.read(f"media/{name}"))
                os.replace(partial, target)
            finally:
                partial.unlink(missing_ok=True)
            written.append(target)
    except OSError as error:
        for target in written:
            target.unlink(missing_ok=True)
        raise RestoreError(_write_failure(error, "the uploaded files")) from None
    return written
