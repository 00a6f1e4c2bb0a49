from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.reports import render, scope
from amparo.territory.models import Region


class Command(BaseCommand):
    help = "Write an executive summary (PDF) or the workbook (XLSX) for a region or the program."

    def add_arguments(self, parser: CommandParser) -> None:
        scope = parser.add_mutually_exclusive_group(required=True)
        scope.add_argument("--region", help="region code, e.g. PE-LOR")
        scope.add_argument("--program", action="store_true", help="every region")
        parser.add_argument("--kind", choices=["executive", "workbook"], default="executive")
        parser.add_argument("--lang", choices=["es", "en"], default="es")
        parser.add_argument("--format", choices=["pdf", "xlsx"], default="pdf")
        parser.add_argument(
            "--donor",
            action="store_true",
            help="for donors or the public: counts under AMPARO_DISCLOSURE_K_PUBLIC hidden "
            "whoever runs it, no evidence text or contact details",
        )
        parser.add_argument("--since", help="show what was done since this date (YYYY-MM-DD)")
        parser.add_argument("-o", "--output", required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        regions = Region.objects.all()
        if options["region"]:
            regions = regions.filter(code=options["region"])
            if not regions.exists():
                raise CommandError(f"unknown region {options['region']!r}")
        if (options["kind"] == "executive") != (options["format"] == "pdf"):
            raise CommandError("the executive summary is a PDF; the workbook is an XLSX")
        try:
            since = date.fromisoformat(options["since"]) if options["since"] else None
        except ValueError:
            raise CommandError("--since must be a date YYYY-MM-DD") from None
        reader = scope.operator()
        if options["kind"] == "executive":
            content = render.summary_pdf(
                regions, user=reader, lang=options["lang"], donor=options["donor"], since=since
            )
        else:
            content = render.workbook_xlsx(
                regions, user=reader, lang=options["lang"], donor=options["donor"]
            )
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"wrote {options['output']} ({len(content):,} bytes)")
