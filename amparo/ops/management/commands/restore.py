from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.ops.backup import RestoreError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `amparo backup` (by this or an earlier version) into an "
        "empty database; the database is migrated first and the rows brought up to date."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = restore(Path(options["file"]))
        except RestoreError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"restored {rows} rows and {len(manifest['files'])} files")
