"""``amparo export-dhis2 --period 2026 [--region CODE] [--format json|csv] -o FILE``: the
indicator values of a period as a DHIS2 data value set, through the DHIS2 mapping."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.access import server_operator
from amparo.dhis2.datavalues import as_csv, as_json
from amparo.dhis2.periods import span
from amparo.dhis2.queries import export_for
from amparo.territory.models import Region


class Command(BaseCommand):
    help = "Write the indicator values of a period as a DHIS2 data value set."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", required=True, help="2026, 2026Q1 or 202601")
        parser.add_argument("--region", help="an ISO 3166-2 code; every region by default")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args: object, **options: object) -> None:
        try:
            span(str(options["period"]))
        except ValueError as error:
            raise CommandError(f"--period: {error}") from None
        regions = Region.objects.order_by("code")
        if options["region"]:
            regions = regions.filter(code=options["region"])
            if not regions.exists():
                raise CommandError(f"no region {options['region']}")
        # Whoever runs the command reads the whole database anyway: program-wide rights.
        export = export_for(server_operator(), list(regions), str(options["period"]))
        text = as_json(export) if options["format"] == "json" else as_csv(export)
        Path(str(options["output"])).write_text(text, encoding="utf-8")
        self.stdout.write(f"{len(export.values)} data values written to {options['output']}")
        if export.unmapped:
            self.stdout.write("left out, not in the DHIS2 mapping: " + ", ".join(export.unmapped))
