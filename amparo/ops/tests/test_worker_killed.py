"""A real worker process is killed (SIGKILL) in the middle of an import's write and of a
report: nothing it did is kept, the next worker puts the task back in the queue and runs
it once more (the import's rows are then written exactly once), or, after the last
attempt, fails it with the reason so that the report's page stops waiting."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from amparo.imports import services as imports
from amparo.indicators.import_kind import OBSERVATIONS
from amparo.reports.models import ReportFile

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[3]

# The worker whose task hangs after its work is done but before it is committed: killed
# there, the work must vanish with it.
HANGING_WORKER = """
import os, sys, time
from pathlib import Path
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amparo.settings")
import django
django.setup()
marker = Path(sys.argv[1])
from amparo.indicators.import_kind import ObservationsImport
from amparo.reports import render
original_write = ObservationsImport.write

def write(self, job, rows, on_row):
    written = original_write(self, job, rows, on_row)
    marker.write_text(str(written))
    time.sleep(120)
    return written

def summary_pdf(*args, **kwargs):
    marker.write_text("rendering")
    time.sleep(120)

ObservationsImport.write = write
render.summary_pdf = summary_pdf
from amparo.cli import main
main(["amparo", "db_worker", "--no-startup-delay", "--no-jobs", "--interval", "0.2"])
"""
NEXT_WORKER = """
from amparo.cli import main
main(["amparo", "db_worker", "--batch", "--no-startup-delay", "--no-jobs"])
"""


def _database(tmp_path: Path) -> tuple[str, Callable[[str], list[tuple]]]:
    """A database URL a second process can open holding this test's rows, and a way to
    read it with SQL afterwards."""
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        with sqlite3.connect(path) as copy:
            connection.ensure_connection()
            connection.connection.backup(copy)

        def query(sql: str) -> list[tuple]:
            with sqlite3.connect(path) as db:
                return db.execute(sql).fetchall()

        return f"sqlite:///{path}", query
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    url = f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"

    def query(sql: str) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchall()

    return f"{url}/{s['NAME']}", query


def _env(database_url: str, media: Path, attempts: int) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "TASKS_BACKEND": "database",
        "MEDIA_ROOT": str(media),
        "AMPARO_WORKER_BEAT_SECONDS": "1",
        "AMPARO_WORKER_LOST_SECONDS": "1",
        "AMPARO_TASK_ATTEMPTS": str(attempts),
        "PYTHONWARNINGS": "ignore",
    }


def _kill_mid_task(env: dict[str, str], marker: Path) -> None:
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", HANGING_WORKER, str(marker)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while not marker.exists():
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the worker never started the task"
            time.sleep(0.1)
    finally:
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
        worker.stderr.close()
    time.sleep(1.5)  # the killed worker's last heartbeat is now older than the limit


def _next_worker(env: dict[str, str]) -> None:
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", NEXT_WORKER],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _enqueue(task_path: str, args: list) -> str:
    return str(
        DBTaskResult.objects.create(
            task_path=task_path,
            args_kwargs={"args": args, "kwargs": {}},
            backend_name="default",
            run_after=get_date_max(),
        ).pk
    )


def _id(value: object) -> str:
    """A uuid as the database keeps it: SQLite without dashes."""
    text = str(value)
    return text.replace("-", "") if connection.vendor == "sqlite" else text


def _task(query, task_id: str) -> tuple[str, list]:
    table = DBTaskResult._meta.db_table
    sql = f"SELECT status, worker_ids FROM {table} WHERE id = '{_id(task_id)}'"  # noqa: S608
    status, workers = query(sql)[0]
    return status, json.loads(workers) if isinstance(workers, str) else workers


def test_an_import_killed_mid_write_leaves_nothing_and_is_written_once_on_retry(
    world, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = media = tmp_path / "media"
    media.mkdir()
    call_command("load_catalog", stdout=StringIO())
    rows = "indicator,region,period,value,source\n" + "".join(
        f"OUT-TRAINED,PE-LOR,{2000 + n}-T1,{n},DRE\n" for n in range(30)
    )
    job = imports.import_job_create(
        kind=OBSERVATIONS,
        by=world.users["admin"],
        region=world.region_a,
        upload=SimpleUploadedFile("valores.csv", rows.encode()),
    )
    imports.import_check(job=job)
    imports.import_confirm(job=job, by=world.users["admin"], keep_file=False)
    task_id = _enqueue("amparo.imports.tasks.write_import", [str(job.pk)])
    url, query = _database(tmp_path)
    env = _env(url, media, attempts=2)

    _kill_mid_task(env, marker := tmp_path / "written")
    assert marker.read_text() == "30"  # the rows were written, not committed
    assert query("SELECT COUNT(*) FROM indicators_observation") == [(0,)]
    sql = f"SELECT status FROM imports_importjob WHERE id = '{_id(job.pk)}'"  # noqa: S608
    assert query(sql) == [("writing",)]

    _next_worker(env)
    status, workers = _task(query, task_id)
    assert status == "SUCCESSFUL" and len(workers) == 2  # the second attempt did it
    assert query("SELECT COUNT(*) FROM indicators_observation") == [(30,)]


def test_a_report_killed_mid_generation_fails_with_a_reason_after_the_last_attempt(
    world, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = media = tmp_path / "media"
    media.mkdir()
    report = ReportFile.objects.create(
        region=world.region_a,
        region_ids=[world.region_a.pk],
        kind="executive",
        file_format="pdf",
        lang="es",
        data_key="k",
        created_by=world.users["coordinator"],
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )
    task_id = _enqueue("amparo.reports.tasks.generate_report", [str(report.pk), report.region_ids])
    url, query = _database(tmp_path)
    env = _env(url, media, attempts=1)

    _kill_mid_task(env, tmp_path / "rendering")
    _next_worker(env)
    status, _ = _task(query, task_id)
    assert status == "FAILED"
    table = DBTaskResult._meta.db_table
    [(reason,)] = query(f"SELECT traceback FROM {table} WHERE id = '{_id(task_id)}'")  # noqa: S608
    assert "stopped while running this task" in reason
    statuses = query("SELECT status FROM reports_reportfile")
    assert statuses == [("failed",)]
    assert not (media / "reports").exists() or not any((media / "reports").iterdir())
