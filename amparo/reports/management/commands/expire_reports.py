from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from amparo.reports import services


class Command(BaseCommand):
    help = "Delete generated reports past their keeping time, with their files (run from cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = services.reports_expire()
        self.stdout.write(f"deleted {deleted} expired report(s)")
