from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.catalog import available_packs
from amparo.catalog.load import catalog_load


class Command(BaseCommand):
    help = "Load or update the starter catalog (regions, sectors, ...) without duplicates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--pack",
            action="append",
            help="Country pack to load (default: every pack shipped). May be repeated.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        packs = options["pack"] or available_packs()
        unknown = sorted(set(packs) - set(available_packs()))
        if unknown:
            raise CommandError(
                f"unknown pack(s): {', '.join(unknown)}; available: {', '.join(available_packs())}"
            )
        count = catalog_load(packs=packs)
        created = ", ".join(f"{k} {v}" for k, v in sorted(count.created.items())) or "none"
        updated = ", ".join(f"{k} {v}" for k, v in sorted(count.updated.items())) or "none"
        self.stdout.write(f"catalog {'+'.join(packs)}: created {created}; updated {updated}")
        if count.kept:
            self.stdout.write(
                f"kept users' edits of {len(count.kept)} entries that the catalog changed: "
                f"{', '.join(count.kept)} (review them in the threat catalog, the indicators, "
                "the control library or the questionnaires of the admin site)"
            )
        for kind, codes in sorted(count.clashes.items()):
            self.stdout.write(
                f"left {len(codes)} users' {kind} as they are, the catalog has {kind} with "
                f"the same code: {', '.join(codes)} (rename them to load the catalog's)"
            )
