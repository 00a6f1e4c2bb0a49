from __future__ import annotations

import dataclasses
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation

from amparo.mitigation.services import reminders_send
from amparo.ops import jobs


class Command(BaseCommand):
    help = (
        "E-mail each person the measures they follow up that are overdue or due within "
        "--days days. The background worker does it daily; run from cron too, it sends "
        "nothing twice within a day (--force sends again)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="look this many days ahead")
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")
        parser.add_argument("--lang", default="es", choices=["es", "en"])
        parser.add_argument("--force", action="store_true", help="even if sent within a day")

    def _send(self, options: dict[str, Any]) -> int:
        with translation.override(options["lang"]):
            return reminders_send(
                today=timezone.localdate(), within_days=options["days"], dry_run=options["dry_run"]
            )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            self.stdout.write(f"reminders: would send {self._send(options)} e-mail(s)")
            return
        job = dataclasses.replace(
            jobs.REMINDERS, run=lambda: f"sent {self._send(options)} e-mail(s)"
        )
        state = jobs.run_job(job, force=options["force"])
        if state is None:
            self.stdout.write(
                "reminders: not sent, they were sent within the last day or are being sent "
                "now (--force sends them again)"
            )
            return
        if state.last_outcome != "ok":
            raise CommandError(f"reminders failed: {state.last_message}")
        self.stdout.write(f"reminders: {state.last_message}")
