"""``amparo publish-form --round ID [--sector CODE] --server NAME``: send a round's form
to a field server, as a new form or a new version of the one published before."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from amparo.accounts import access
from amparo.assessment.models import Assessment
from amparo.fieldservers import services
from amparo.fieldservers.models import Connection
from amparo.territory.models import Sector


class Command(BaseCommand):
    help = "Publish a round's XLSForm (all sectors, or one) on a field server."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--round", type=int, required=True)
        parser.add_argument("--sector", help="a sector's code (default: every sector)")
        parser.add_argument("--server", required=True, help="the connection's name")

    def handle(self, *args: object, **options: object) -> None:
        assessment = Assessment.objects.select_related("region").filter(pk=options["round"]).first()
        if assessment is None:
            raise CommandError("No such round.")
        connection = Connection.objects.filter(name=options["server"]).first()
        if connection is None:
            raise CommandError("No such server connection.")
        sector = None
        if options["sector"]:
            sector = Sector.objects.filter(
                code=options["sector"].upper(), country=assessment.region.country
            ).first()
            if sector is None:
                raise CommandError("No such sector in this round's country.")
        try:
            form = services.form_publish(
                by=access.server_operator(),
                assessment=assessment,
                connection=connection,
                sector=sector,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Published {form.server_form_id}, version {form.server_version}.")
