"""Turn report content into files: the executive summary as PDF (WeasyPrint, from the same
HTML and SVG charts as the pages) and the workbook as XLSX."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from amparo import tabular
from amparo.accounts.models import User
from amparo.assessment import columns as finding_columns
from amparo.assessment import queries as assessment_queries
from amparo.indicators import columns as observation_columns
from amparo.indicators.models import Observation, Unit
from amparo.mitigation import columns as measure_columns
from amparo.mitigation import queries as mitigation_queries
from amparo.reports import content
from amparo.rollout import columns as event_columns
from amparo.rollout.attendance_table import ShownTable, shown_table
from amparo.rollout.models import Attendance, Event
from amparo.suppression import HIDDEN_TOTAL, SUPPRESSED, covers_small, withheld_rows
from amparo.tabular import table
from amparo.territory.models import Region


def summary_pdf(
    regions: QuerySet[Region], *, user: User, lang: str, donor: bool, since: date | None
) -> bytes:
    """The executive summary of ``regions`` as ``user`` may read it, as a PDF in ``lang``."""
    from weasyprint import HTML

    with translation.override(lang):
        summary = content.executive_summary(regions, user=user, donor=donor, since=since)
        html = render_to_string(
            "reports/executive.html",
            {
                "s": summary,
                "organization_name": settings.AMPARO_ORGANIZATION_NAME,
                "logo": settings.AMPARO_LOGO_URL,
                "lang": lang,
            },
        )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _attendance_tables(
    events: list[Event], attendance: list[Attendance], *, donor: bool
) -> tuple[dict[int, ShownTable], dict[int, tuple[object, ...]]]:
    """Each event's attendance table as the workbook's reader may see it, and each
    attendance row's shown counts: in the donor version small counts are "<5" and an
    event's total is withheld whenever one of its rows is hidden (the two sheets side by
    side would give it back)."""
    rows_of: dict[int, list[Attendance]] = defaultdict(list)
    for row in attendance:
        rows_of[row.event_id].append(row)
    tables = {}
    cells = {}
    for event in events:
        rows = rows_of[event.pk]
        shown_rows = shown_table(
            [(a.pastors, a.leaders, a.others) for a in rows], columns=3, see_small=not donor
        )
        tables[event.pk] = shown_rows
        cells.update({a.pk: shown for a, shown in zip(rows, shown_rows.rows, strict=True)})
    return tables, cells


def _observation_value(observation: Observation, withheld: set[int]) -> object:
    """An observation's value in the workbook: "<5" for a small count, "—" for one withheld
    because it would give a small count of its group back."""
    if observation.pk in withheld:
        return SUPPRESSED if covers_small([float(observation.value)]) else HIDDEN_TOTAL
    return float(observation.value)


def workbook_xlsx(regions: QuerySet[Region], *, user: User, lang: str, donor: bool) -> bytes:
    """Events (one row each, with their attendance totals), attendance, findings, measures
    and observations, one sheet each, with headers in ``lang``; findings and measures only
    of the sectors ``user`` may read. The donor version leaves out evidence text and small
    counts."""
    region_list = list(regions)
    with translation.override(lang):
        events = list(
            Event.objects.filter(rollout__region__in=region_list)
            .select_related("rollout__region", "stage")
            .order_by("rollout__region__name", "starts_on", "pk")
        )
        attendance = list(
            Attendance.objects.filter(event__rollout__region__in=region_list)
            .select_related("event__rollout__region", "event__stage", "organization")
            .order_by("event__rollout__region__name", "event__starts_on", "event", "pk")
        )
        tables, attendance_cells = _attendance_tables(events, attendance, donor=donor)
        findings = (
            assessment_queries.findings_readable(user, region_list)
            .select_related("assessment__region", "sector", "threat")
            .order_by("assessment__region__name", "assessment__number", "sector__code", "pk")
        )
        measures = (
            mitigation_queries.measures_readable(user, region_list)
            .select_related("region", "sector")
            .order_by("region__name", "sector__code", "pk")
        )
        observations = list(
            Observation.objects.filter(region__in=region_list).select_related("region", "indicator")
        )
        withheld = (
            withheld_rows(
                (o.pk, (o.indicator_id, o.region_id, o.period), o.disaggregation, float(o.value))
                for o in observations
                if o.indicator.unit == Unit.COUNT
            )
            if donor
            else set()
        )
        sheets = [
            (_("Events"), *table(event_columns.events(lambda e: tables[e.pk].totals), events)),
            (
                _("Attendance"),
                *table(event_columns.attendance(lambda a: attendance_cells[a.pk]), attendance),
            ),
            (_("Findings"), *table(finding_columns.workbook(evidence_shown=not donor), findings)),
            (_("Measures"), *table(measure_columns.ACROSS_REGIONS, measures)),
            (
                _("Observations"),
                *table(
                    observation_columns.observations(lambda o: _observation_value(o, withheld)),
                    observations,
                ),
            ),
        ]
        return tabular.xlsx_bytes(sheets)
