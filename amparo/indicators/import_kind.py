"""Indicator values on the import pipeline: a CSV / XLSX file uploaded for one region, or
the values an API request sends (each row naming its region)."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.imports.checking import CheckReport
from amparo.imports.kinds import ImportKind, OnRow, WriteRefused
from amparo.imports.models import ImportJob
from amparo.indicators import services
from amparo.indicators.models import Indicator
from amparo.indicators.observation_import import (
    IndicatorSpec,
    ObservationParse,
    parse_observations,
)
from amparo.tabular import Row


def indicator_specs() -> dict[str, IndicatorSpec]:
    """What a row may say about each indicator, by code."""
    return {
        i.code: IndicatorSpec(i.frequency, i.typed, frozenset(i.disaggregations))
        for i in Indicator.objects.all()
    }


class ObservationsImport(ImportKind):
    """Values per indicator, region and period; a value already there is replaced."""

    name = "observations"
    not_allowed = _("Only the region's coordinators and program admins import indicator values.")
    wrong_file = _("Upload a CSV or XLSX file.")
    reasons_template = "indicators/_reason.html"

    def _parse(
        self, job: ImportJob, by: User, rows: Iterator[Row], on_row: OnRow
    ) -> ObservationParse:
        # A job for one region takes rows of that region; without one (an API request),
        # rows of every region where ``by`` may import.
        if job.region is not None:
            regions = frozenset({job.region.code})
        else:
            regions = frozenset(
                access.regions_where(by, self.capability).values_list("code", flat=True)
            )
        return parse_observations(
            rows,
            indicator_specs(),
            regions,
            on_row=on_row,
            vocabularies=services.disaggregation_vocabularies(),
        )

    def check(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> CheckReport:
        return self._parse(job, job.created_by, rows, on_row)

    def write(self, job: ImportJob, rows: Iterator[Row], on_row: OnRow) -> int:
        result = self._parse(job, job.confirmed_by, rows, on_row)
        if result.fatal:
            raise WriteRefused("file_changed")
        return services.observations_import(rows=result.valid, by=job.confirmed_by)


OBSERVATIONS = ObservationsImport()
