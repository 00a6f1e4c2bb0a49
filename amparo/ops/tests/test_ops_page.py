"""The operations page: program admins see the checks, each recurring job's last run and
outcome, the workers and the queue, in Spanish and English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

import amparo
from amparo.ops import jobs
from amparo.ops.models import WorkerBeat

pytestmark = pytest.mark.django_db


def _broken() -> str:
    raise RuntimeError("smtp down")


def test_admins_see_jobs_outcomes_workers_and_failures(
    world, settings, tmp_path, django_assert_max_num_queries
) -> None:
    settings.MEDIA_ROOT = tmp_path
    jobs.run_job(jobs.EXPIRE_REPORTS)
    jobs.run_job(jobs.Job("reminders", "x", timedelta(days=1), _broken))
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="w", host="app-1", pid=4242, started_at=now, seen_at=now)
    DBTaskResult.objects.create(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="amparo.reports.tasks.generate_report",
        exception_class_path="amparo.ops.recovery.WorkerLost",
        traceback="The background worker stopped while running this task",
        backend_name="default",
        run_after=now,
    )
    client = world.client("admin")
    with django_assert_max_num_queries(25):
        page = client.get(reverse("ops-status"))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"amparo {amparo.__version__}" in text  # in the footer too
    assert "Operaciones" in text and "Trabajos periódicos" in text
    assert "deleted 0 expired report(s)" in text
    assert "RuntimeError: smtp down" in text
    assert "app-1" in text and "4242" in text
    assert "1 fallida(s) en el último día" in text
    assert "stopped while running this task" in text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    text = client.get(reverse("ops-status")).content.decode()
    assert "Recurring jobs" in text and "Background workers" in text


def test_only_program_admins_see_the_page_and_its_menu_link(world) -> None:
    assert world.client("coordinator").get(reverse("ops-status")).status_code == 403
    home = world.client("coordinator").get(reverse("home")).content.decode()
    assert reverse("ops-status") not in home
    home = world.client("admin").get(reverse("home")).content.decode()
    assert reverse("ops-status") in home


def test_every_page_shows_the_version_in_its_footer(world) -> None:
    text = world.client("viewer").get(reverse("home")).content.decode()
    assert f'<p class="version">amparo {amparo.__version__}</p>' in text
