from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

import amparo
from amparo.ops import health


class Command(BaseCommand):
    help = (
        "Check what /health/ready/ checks (database, migrations, worker, media folder, free "
        "disk) and say what is wrong; exits non-zero if anything is."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        checks = health.readiness()
        self.stdout.write(f"amparo {amparo.__version__}")
        for name, problem in checks.items():
            self.stdout.write(f"{name}: {problem or 'ok'}")
        failing = [name for name, problem in checks.items() if problem]
        if failing:
            raise CommandError(f"not ready: {', '.join(failing)}")
