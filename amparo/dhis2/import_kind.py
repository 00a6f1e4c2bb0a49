"""DHIS2 data value sets (JSON or CSV) on the import pipeline, into one region's
observations: the same check-then-confirm steps as an amparo values file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext_lazy as _

from amparo.accounts.models import User
from amparo.dhis2.datavalues import json_rows, parse_data_values
from amparo.dhis2.queries import mapping
from amparo.imports.checking import CheckReport
from amparo.imports.kinds import ImportKind, OnRow, WriteRefused
from amparo.imports.models import ImportJob
from amparo.indicators import services
from amparo.indicators.import_kind import indicator_specs
from amparo.indicators.observation_import import ObservationParse
from amparo.tabular import Row, reading


class Dhis2Import(ImportKind):
    """Values of a DHIS2 data value set, read through the DHIS2 mapping; a value already
    there is replaced."""

    name = "dhis2_values"
    not_allowed = _("Only the region's coordinators and program admins import indicator values.")
    wrong_file = _("Upload a DHIS2 data value set as a JSON or CSV file.")
    reasons_template = "dhis2/_reason.html"
    formats = ("json", "csv")

    @contextmanager
    def rows(self, job: ImportJob) -> Iterator[Iterator[Row]]:
        if job.file_format != "json":
            with job.file.open("rb") as stream, reading(stream, job.file_format) as rows:
                yield rows
            return
        with job.file.open("rb") as stream:
            content = stream.read()
        yield json_rows(content)

    def _parse(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> ObservationParse:
        return parse_data_values(
            rows,
            mapping(),
            indicator_specs(),
            frozenset({job.region.code}) if job.region else frozenset(),
            services.disaggregation_vocabularies(),
            on_row=on_row,
        )

    def check(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> CheckReport:
        return self._parse(job, rows, on_row)

    def write(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> int:
        result = self._parse(job, rows, on_row)
        if result.fatal:
            raise WriteRefused("file_changed")
        by: User = job.confirmed_by
        return services.observations_import(rows=result.valid, by=by)


DHIS2_VALUES = Dhis2Import()
