from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Delete generated reports past their keeping time, with their files (the worker "
        "does it hourly; from cron it is harmless)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("run_jobs", job="expire-reports", force=True, stdout=self.stdout)
