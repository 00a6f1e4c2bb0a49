"""The checks behind /health/ready/ and the start-up checks: each returns a problem (a
short sentence for an operator, no secrets) or None. Nothing here reads personal data."""

from __future__ import annotations

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone


def database_problem() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"cannot reach the database ({_without_secrets(first)})"
    return None


def _without_secrets(text: str) -> str:
    # A connection error may quote the connection string; never repeat a password.
    password = settings.DATABASES["default"].get("PASSWORD") or ""
    return text.replace(password, "***") if password else text


def migrations_problem() -> str | None:
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        return f"{len(pending)} migration(s) not applied: run `amparo migrate`"
    return None


def media_problem() -> str | None:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return f"MEDIA_ROOT {root} is not a folder (create it or fix MEDIA_ROOT)"
    try:
        with tempfile.NamedTemporaryFile(dir=root, prefix=".amparo-check-"):
            pass
    except OSError as error:
        return f"MEDIA_ROOT {root} is not writable ({error.strerror})"
    return None


def free_disk_mb() -> int:
    root = Path(settings.MEDIA_ROOT)
    return shutil.disk_usage(root if root.is_dir() else root.parent).free // (1024 * 1024)


def disk_problem() -> str | None:
    try:
        free = free_disk_mb()
    except OSError:
        return "cannot read the free space of MEDIA_ROOT's disk"
    if free < settings.AMPARO_MIN_FREE_DISK_MB:
        limit = settings.AMPARO_MIN_FREE_DISK_MB
        return f"only {free} MB free on MEDIA_ROOT's disk (less than {limit})"
    return None


def worker_problem() -> str | None:
    from amparo.ops.models import WorkerBeat

    within = timedelta(minutes=settings.AMPARO_WORKER_SEEN_MINUTES)
    last = WorkerBeat.objects.order_by("-seen_at").values_list("seen_at", flat=True).first()
    if last is None:
        return "no background worker has run yet (start `amparo db_worker`)"
    if last < timezone.now() - within:
        minutes = int((timezone.now() - last).total_seconds() // 60)
        return f"no background worker seen for {minutes} minutes (start `amparo db_worker`)"
    return None


def waiting_without_worker() -> bool:
    """Whether work put in the queue now would wait for a worker that is not running (so
    a page showing progress can say so rather than wait for ever). Never with the
    immediate backend, which runs tasks inside the request."""
    if not settings.TASKS["default"]["BACKEND"].endswith("DatabaseBackend"):
        return False
    return worker_problem() is not None


def readiness() -> dict[str, str | None]:
    """Every check by name: None when fine, else the problem. Checks that need the
    database are skipped (reported as such) when it cannot be reached."""
    checks: dict[str, str | None] = {"database": database_problem()}
    if checks["database"]:
        checks["migrations"] = checks["worker"] = "not checked: no database"
    else:
        checks["migrations"] = migrations_problem()
        checks["worker"] = worker_problem()
    checks["media"] = media_problem()
    checks["disk"] = disk_problem()
    return checks
