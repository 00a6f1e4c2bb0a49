from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.disclosure import checks
from amparo.disclosure.gather.outputs import DONOR_OUTPUTS, READER_OUTPUTS
from amparo.disclosure.gather.reader import ReaderError

EPILOG = (
    "Outputs read for a person or a role: "
    + ", ".join(READER_OUTPUTS)
    + ". For --donor: "
    + ", ".join(DONOR_OUTPUTS)
    + ". Exit status: 0 no leak, 1 a leak (or an output that could not be read), "
    "2 a wrong reader. See docs/disclosure.md, section 'The audit'."
)


class Command(BaseCommand):
    help = (
        "Prove that no hidden count can be worked out from what one reader can obtain: "
        "gathers every figure of amparo's outputs as that reader gets them, relates them "
        "to all the data and bounds each hidden count by linear programming."
    )

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any):
        parser = super().create_parser(prog_name, subcommand, epilog=EPILOG, **kwargs)
        return parser

    def add_arguments(self, parser: CommandParser) -> None:
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--user", help="a person, by username")
        who.add_argument(
            "--role",
            choices=["admin", "coordinator", "focal_point", "viewer"],
            help="a synthetic member with this role (never kept); with --region",
        )
        who.add_argument(
            "--donor",
            action="store_true",
            help="what a report for donors and the public shows (k = AMPARO_DISCLOSURE_K_PUBLIC)",
        )
        parser.add_argument("--region", default="", help="the synthetic member's region code")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--quiet", action="store_true", help="no progress on stderr")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(step: str) -> None:
            if not options["quiet"]:
                self.stderr.write(f"disclosure audit: {step}")

        try:
            result = checks.check(
                username=options["user"] or "",
                role=options["role"] or "",
                region=options["region"],
                donor=options["donor"],
                progress=progress,
            )
        except ReaderError as error:
            raise CommandError(str(error), returncode=2) from error
        as_format = checks.as_json if options["format"] == "json" else checks.as_text
        self.stdout.write(as_format(result))
        if not result.ok or result.skipped:
            sys.exit(1)
