from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.assessment.services import threats_catalog_load
from amparo.catalog import available_packs
from amparo.indicators.services import indicators_catalog_load
from amparo.mitigation.services import controls_catalog_load
from amparo.questionnaires.catalog import questionnaires_catalog_load
from amparo.rollout.services import playbook_catalog_load
from amparo.territory.services import LoadCount, territory_catalog_load


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
        count = LoadCount()
        kept: list[str] = []
        clashes: list[str] = []
        for pack in packs:
            territory_catalog_load(pack=pack, count=count)
            playbook_catalog_load(pack=pack, count=count)
            threats_catalog_load(pack=pack, count=count, kept=kept, clashes=clashes)
            controls_catalog_load(pack=pack, count=count, kept=kept)
            questionnaires_catalog_load(pack=pack, count=count, kept=kept)
            indicators_catalog_load(pack=pack, count=count, kept=kept)
        created = ", ".join(f"{k} {v}" for k, v in sorted(count.created.items())) or "none"
        updated = ", ".join(f"{k} {v}" for k, v in sorted(count.updated.items())) or "none"
        self.stdout.write(f"catalog {'+'.join(packs)}: created {created}; updated {updated}")
        if kept:
            self.stdout.write(
                f"kept users' edits of {len(kept)} entries that the catalog changed: "
                f"{', '.join(kept)} (review them in the threat catalog, the control library "
                "or the questionnaires of the admin site)"
            )
        if clashes:
            self.stdout.write(
                f"left {len(clashes)} users' threats as they are, the catalog has threats with "
                f"the same code: {', '.join(clashes)} (rename them to load the catalog's)"
            )
