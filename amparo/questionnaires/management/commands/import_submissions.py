from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.models import User
from amparo.assessment.models import Assessment
from amparo.imports import services
from amparo.imports.models import JobStatus
from amparo.questionnaires.import_kind import FIELD_ANSWERS


class Command(BaseCommand):
    help = (
        "Import a KoboToolbox or ODK Central export (CSV or XLSX) into an assessment round. "
        "Prints what would be imported and every problem; writes only without --dry-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--round", type=int, required=True, help="assessment round ID")
        parser.add_argument("--user", required=True, help="the username the import is made as")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--keep-file", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        assessment = Assessment.objects.select_related("region").filter(pk=options["round"]).first()
        if assessment is None:
            raise CommandError(f"no assessment round with ID {options['round']}")
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {options['user']!r}")
        path = Path(options["file"])
        try:
            upload = SimpleUploadedFile(path.name, path.read_bytes())
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from None
        try:
            job = services.import_job_create(
                kind=FIELD_ANSWERS,
                by=user,
                region=assessment.region,
                target=assessment,
                upload=upload,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        job = services.import_check(job=job)
        self.stdout.write(
            f"rows read {job.rows_read}; valid {job.rows_valid}; already imported "
            f"{job.rows_already}; problems {job.problem_count}"
        )
        for row, column, reason, value in job.problems:
            self.stdout.write(f"  row {row} {column or '-'}: {reason} {value}".rstrip())
        if job.unknown_columns:
            self.stdout.write(f"  ignored columns: {', '.join(job.unknown_columns)}")
        if options["dry_run"] or job.status != JobStatus.READY:
            services.import_discard(job=job)
            if job.status != JobStatus.READY:
                raise CommandError("nothing can be imported from this file")
            return
        try:
            services.import_confirm(job=job, by=user, keep_file=options["keep_file"])
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        job = services.import_write(job=job)
        if job.status != JobStatus.DONE:
            raise CommandError(f"the import failed ({job.problems[0][2]}); nothing was written")
        self.stdout.write(f"imported {job.rows_imported} submission(s)")
