from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Write a consistent backup of all data and uploaded files to FILE (a zip)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup(Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error)) from None
        rows = sum(manifest["counts"].values())
        self.stdout.write(
            f"backup {options['file']}: {rows} rows, {len(manifest['files'])} files "
            f"(amparo {manifest['amparo_version']})"
        )
