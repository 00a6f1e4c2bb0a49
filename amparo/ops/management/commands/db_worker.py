"""``amparo db_worker``: django-tasks' database worker, plus a heartbeat thread that
records the worker as alive, recovers tasks of dead workers and runs the recurring jobs
that are due (no cron entry needed)."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import CommandParser
from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks_db.management.commands import db_worker

from amparo.ops import jobs, recovery

logger = logging.getLogger("amparo.worker")


class Heartbeat(threading.Thread):
    def __init__(self, worker_id: str, *, run_jobs: bool) -> None:
        super().__init__(name="amparo-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.run_jobs = run_jobs
        self.started_at = timezone.now()
        self.stopping = threading.Event()

    def tick(self) -> None:
        """One round: beat, recover lost tasks, run due jobs. A database that is away
        for a moment is logged and tried again next round."""
        try:
            recovery.beat(self.worker_id, started_at=self.started_at)
            recovery.recover_lost_tasks()
            if self.run_jobs:
                jobs.run_due()
                recovery.beat(self.worker_id, started_at=self.started_at)
        except Exception:
            logger.exception("worker heartbeat failed; trying again")

    def run(self) -> None:
        try:
            while not self.stopping.wait(settings.AMPARO_WORKER_BEAT_SECONDS):
                close_old_connections()  # this thread's own; a restarted database is reached
                self.tick()
        finally:
            connection.close()


class Command(db_worker.Command):
    help = (
        "Run background tasks (imports, reports) and the recurring jobs (reminders, "
        "expiring reports, pruning abandoned uploads)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-jobs", action="store_true", help="run tasks only, not the recurring jobs"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from amparo.ops.preflight import exit_on_problems

        exit_on_problems(database=True, media=True)
        heartbeat = Heartbeat(options["worker_id"], run_jobs=not options.pop("no_jobs"))
        heartbeat.tick()  # before the first task: a task left by a dead worker is recovered
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stopping.set()
