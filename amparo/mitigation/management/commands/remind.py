from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone, translation

from amparo.mitigation.services import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each person the measures they follow up that are overdue or due within "
        "--days days (schedule it daily or weekly, e.g. with cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7, help="look this many days ahead")
        parser.add_argument("--dry-run", action="store_true", help="count, send nothing")
        parser.add_argument("--lang", default="es", choices=["es", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            sent = reminders_send(
                today=timezone.localdate(), within_days=options["days"], dry_run=options["dry_run"]
            )
        verb = "would send" if options["dry_run"] else "sent"
        self.stdout.write(f"reminders: {verb} {sent} e-mail(s)")
