"""/health/ and /health/ready/: JSON for any monitor, 200 or 503, never a secret."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

import amparo
from amparo.ops import health
from amparo.ops.models import WorkerBeat


@pytest.fixture
def ready_server(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.AMPARO_MIN_FREE_DISK_MB = 0
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w1", started_at=now, seen_at=now)
    return settings


def test_live_answers_with_the_version_without_the_database() -> None:
    response = Client().get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": amparo.__version__}
    assert response["Cache-Control"].startswith("max-age=0")


def test_ready_is_200_when_every_check_passes(ready_server) -> None:
    response = Client().get("/health/ready/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["version"] == amparo.__version__
    assert set(body["checks"]) == {"database", "migrations", "worker", "media", "disk"}
    assert all(check == {"ok": True} for check in body["checks"].values())


def test_ready_is_503_naming_a_worker_not_seen_lately(ready_server) -> None:
    WorkerBeat.objects.update(seen_at=timezone.now() - timedelta(minutes=6))
    response = Client().get("/health/ready/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["worker"]["ok"] is False
    assert "no background worker seen for 6 minutes" in body["checks"]["worker"]["problem"]
    assert body["checks"]["database"] == {"ok": True}


def test_ready_is_503_when_no_worker_ever_ran(ready_server) -> None:
    WorkerBeat.objects.all().delete()
    body = Client().get("/health/ready/").json()
    assert "no background worker has run yet" in body["checks"]["worker"]["problem"]


def test_ready_is_503_when_free_disk_is_below_the_threshold(ready_server) -> None:
    ready_server.AMPARO_MIN_FREE_DISK_MB = 10**12
    response = Client().get("/health/ready/")
    assert response.status_code == 503
    assert "MB free on MEDIA_ROOT's disk" in response.json()["checks"]["disk"]["problem"]


def test_ready_is_503_when_the_media_folder_is_missing_or_not_writable(
    ready_server, tmp_path
) -> None:
    ready_server.MEDIA_ROOT = tmp_path / "nowhere"
    response = Client().get("/health/ready/")
    assert response.status_code == 503
    assert "is not a folder" in response.json()["checks"]["media"]["problem"]
    ready_server.MEDIA_ROOT = tmp_path
    with mock.patch("tempfile.NamedTemporaryFile", side_effect=PermissionError(13, "denied")):
        assert "is not writable (denied)" in health.media_problem()


def test_ready_is_503_when_the_database_is_unreachable_and_skips_what_needs_it(
    ready_server,
) -> None:
    with mock.patch.object(
        health, "database_problem", return_value="cannot reach the database (refused)"
    ):
        body = Client().get("/health/ready/").json()
    assert body["checks"]["database"] == {
        "ok": False,
        "problem": "cannot reach the database (refused)",
    }
    assert body["checks"]["migrations"]["problem"] == "not checked: no database"


def test_the_database_problem_never_repeats_its_password(settings) -> None:
    settings.DATABASES["default"]["PASSWORD"] = "s3cr3t-pw"
    failing = mock.MagicMock()
    failing.__enter__.side_effect = OperationalError('password "s3cr3t-pw" refused')
    with mock.patch.object(health.connection, "cursor", return_value=failing):
        problem = health.database_problem()
    assert problem == 'cannot reach the database (password "***" refused)'


def test_unapplied_migrations_are_named(ready_server) -> None:
    with mock.patch(
        "django.db.migrations.executor.MigrationExecutor.migration_plan", return_value=[1, 2]
    ):
        body = Client().get("/health/ready/").json()
    assert body["checks"]["migrations"]["problem"] == (
        "2 migration(s) not applied: run `amparo migrate`"
    )


def test_health_holds_no_secret_and_works_over_plain_http(ready_server) -> None:
    ready_server.SECURE_SSL_REDIRECT = True
    for url in ("/health/", "/health/ready/"):
        response = Client().get(url)
        assert response.status_code == 200, url  # not redirected to https
        text = response.content.decode()
        assert ready_server.SECRET_KEY not in text
        assert "DATABASE" not in text and "postgres://" not in text


def test_health_answers_get_only() -> None:
    assert Client().post("/health/").status_code == 405
