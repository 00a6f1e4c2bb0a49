from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Delete the files of uploads of every kind of import (field answers, indicator "
        "values) left unconfirmed for a day, all of them (the worker does it every 6 hours; "
        "from cron it is harmless)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("run_jobs", job="prune-imports", force=True, stdout=self.stdout)
