from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.rollout.planner import PlanInputError, plan_from_json_text, plan_rollout, result_to_json


class Command(BaseCommand):
    help = (
        "Plan the rollout of the remaining regions from a JSON input file "
        "(see docs/planner.md): the earliest finish, a proven lower bound and the schedule."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--input", required=True, help="JSON input file, or - for stdin")
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.add_argument(
            "--wall-clock",
            action="store_true",
            help="stop each step on the clock (time_limit_s in seconds) instead of counting "
            "work: may plan differently each time",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["input"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"cannot read {source}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{source} is not UTF-8 text") from None
        try:
            plan = plan_from_json_text(text)
        except PlanInputError as error:
            raise CommandError(f"invalid plan input: {error}") from None
        # Progress goes to stderr, so the JSON (or the table) on stdout stays as it was.
        result = plan_rollout(
            plan,
            deterministic=not options["wall_clock"],
            progress=lambda finish, bound: self.stderr.write(
                f"best finish so far {finish}; proven lower bound {bound}"
            ),
        )
        if options["json"]:
            self.stdout.write(json.dumps(result_to_json(result), indent=2))
            return
        self.stdout.write(
            f"status {result.status}; finish {result.finish}; lower bound {result.lower_bound}; "
            f"one region at a time with one team: {result.baseline_sequential_finish}"
        )
        for e in result.events:
            self.stdout.write(f"  {e.start}  {e.end}  {e.region:<8} {e.stage:<16} team {e.team}")
