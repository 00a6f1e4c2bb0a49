"""``amparo sync-submissions [--round ID] [--server NAME]``: pull the answers of published
forms now (for cron), whether or not they are due."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from amparo.fieldservers import services
from amparo.fieldservers.models import PublishedForm


class Command(BaseCommand):
    help = "Pull new and edited submissions of the forms published on field servers."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--round", type=int, help="the round's id (default: every round)")
        parser.add_argument("--server", help="the connection's name (default: every one)")

    def handle(self, *args: object, **options: object) -> None:
        forms = PublishedForm.objects.filter(connection__enabled=True).select_related(
            "connection", "assessment__region"
        )
        if options["round"]:
            forms = forms.filter(assessment_id=options["round"])
        if options["server"]:
            forms = forms.filter(connection__name=options["server"])
        found = list(forms.order_by("pk")[:500])
        if not found:
            raise CommandError("No published form matches.")
        failed = 0
        for form in found:
            result = services.form_pull(form=form)
            line = (
                f"{form.connection.name} {form.server_form_id} "
                f"({form.assessment.region.code} #{form.assessment.number}): {result.outcome}, "
                f"{result.new} new, {result.held} held, {result.skipped} rejected"
            )
            if result.detail:
                line += f" — {result.detail}"
            self.stdout.write(line)
            failed += result.outcome in ("failed", "refused")
        if failed:
            raise CommandError(f"{failed} pull(s) failed.")
