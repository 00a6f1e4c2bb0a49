from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amparo.disclosure import audience as audiences
from amparo.disclosure import worker_protection


def audience_label(audience: audiences.Audience) -> str:
    if audience == audiences.public_audience():
        return f"donors and the public (k={audience.k})"
    known = ",".join(sorted(audience.known_regions)) or "no region"
    return f"k={audience.k}, details of {'every region' if audience.program_known else known}"


class Command(BaseCommand):
    help = (
        "Work out and store the disclosure protections of the public audience and of the "
        "audiences pages asked for in the last 30 days, at the current data version (run "
        "after a bulk import at country scale; the worker does it too after each change)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="no progress on stderr")

    def handle(self, *args: Any, **options: Any) -> None:
        audiences = worker_protection.audiences_to_protect()
        for n, audience in enumerate(audiences, start=1):
            started = time.monotonic()
            hidden = len(worker_protection.protect_audience_now(audience).hidden)
            if not options["quiet"]:
                self.stderr.write(
                    f"disclosure protect: {n}/{len(audiences)} {audience_label(audience)}: "
                    f"{hidden} hidden cells, {time.monotonic() - started:.1f} s"
                )
        self.stdout.write(f"{len(audiences)} protections stored")
