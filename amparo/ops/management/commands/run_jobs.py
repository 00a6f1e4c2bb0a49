from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.ops import jobs


class Command(BaseCommand):
    help = (
        "Run the recurring jobs that are due (the background worker does this by itself; "
        "from cron it is harmless: a job another process runs or ran within its period is "
        "skipped). --job NAME runs one; --force runs it even if not due."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--job", choices=sorted(jobs.REGISTRY), help="only this job")
        parser.add_argument("--force", action="store_true", help="even if not due")

    def handle(self, *args: Any, **options: Any) -> None:
        names = [options["job"]] if options["job"] else sorted(jobs.REGISTRY)
        failed = []
        for name in names:
            state = jobs.run_job(jobs.REGISTRY[name], force=options["force"])
            if state is None:
                self.stdout.write(f"{name}: skipped (not due, or running elsewhere)")
                continue
            self.stdout.write(f"{name}: {state.last_outcome} {state.last_message}".rstrip())
            if state.last_outcome != "ok":
                failed.append(name)
        if failed:
            raise CommandError(f"failed: {', '.join(failed)}")
