from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.assessment.models import Assessment
from amparo.questionnaires.form_export import form_spec, xlsform_bytes
from amparo.territory.models import Sector


class Command(BaseCommand):
    help = (
        "Write a questionnaire as an XLSForm (.xlsx) for ODK Collect / KoboToolbox. With "
        "--round the form carries that round's region and number; without it the "
        "interviewer picks the region and the round is chosen at import."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--sector", default="all", help="sector code, or 'all' (default)")
        parser.add_argument("--round", type=int, help="assessment round ID")
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        assessment = None
        if options["round"] is not None:
            assessment = (
                Assessment.objects.select_related("region").filter(pk=options["round"]).first()
            )
            if assessment is None:
                raise CommandError(f"no assessment round with ID {options['round']}")
        # A round's form holds its region's country's sectors, as the web export does.
        available = (
            Sector.objects.filter(country=assessment.region.country)
            if assessment is not None
            else Sector.objects.all()
        )
        if options["sector"] == "all":
            sectors = list(available)
        else:
            sectors = list(available.filter(code=options["sector"].upper()))
            if not sectors:
                raise CommandError(f"unknown sector {options['sector']!r}")
        try:
            content = xlsform_bytes(form_spec(sectors=sectors, assessment=assessment))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        Path(options["output"]).write_bytes(content)
        self.stdout.write(f"wrote {options['output']} ({len(content)} bytes)")
