from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amparo.imports import services


class Command(BaseCommand):
    help = (
        "Delete the files of uploads of every kind of import (field answers, indicator "
        "values) left unconfirmed for a day, all of them (run from cron; each upload clears "
        "only a few)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = services.import_files_prune(older_than=services.ABANDONED_AFTER)
        self.stdout.write(f"deleted {deleted} abandoned import file(s)")
