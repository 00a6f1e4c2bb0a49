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
from amparo.accounts import access
from amparo.accounts.models import User
from amparo.assessment import columns as finding_columns
from amparo.assessment import queries as assessment_queries
from amparo.disclosure.release import (
    MARKER,
    Release,
    attendance_hidden,
    church_lists,
    event_training_month,
    report_release,
)
from amparo.indicators import columns as observation_columns
from amparo.indicators.models import Observation
from amparo.mitigation import columns as measure_columns
from amparo.mitigation import queries as mitigation_queries
from amparo.reports import content
from amparo.rollout import columns as event_columns
from amparo.rollout.attendance_table import ShownTable, shown_table
from amparo.rollout.models import Attendance, Event
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
    events: list[Event], attendance: list[Attendance], *, release: Release
) -> tuple[dict[int, ShownTable], dict[int, tuple[object, ...]]]:
    """Each event's attendance table as the workbook's reader may see it, and each
    attendance row's shown counts: hidden where the reader's release hides them, as on
    the event page."""
    rows_of: dict[int, list[Attendance]] = defaultdict(list)
    for row in attendance:
        rows_of[row.event_id].append(row)
    tables = {}
    cells = {}
    for event in events:
        rows = rows_of[event.pk]
        shown_rows = shown_table(
            [(a.pastors, a.leaders, a.others) for a in rows],
            columns=3,
            hidden=attendance_hidden(release, event.rollout.region.code, event.pk, rows),
        )
        tables[event.pk] = shown_rows
        cells.update({a.pk: shown for a, shown in zip(rows, shown_rows.rows, strict=True)})
    return tables, cells


def _observation_value(observation: Observation, release: Release) -> object:
    """An observation's value in the workbook: the marker where the release hides it."""
    return MARKER if release.observation_hidden(observation) else float(observation.value)


def workbook_xlsx(regions: QuerySet[Region], *, user: User, lang: str, donor: bool) -> bytes:
    """Events (one row each, with their attendance totals), attendance, findings, measures
    and observations, one sheet each, with headers in ``lang``; findings and measures only
    of the sectors ``user`` may read, counts hidden as the user's release hides them. The
    version for donors or the public uses the public release and leaves out evidence text,
    as does the version of a reader who may not see the regions' details."""
    release = report_release(user, donor=donor)
    restricted = donor or not access.sees_small_counts(user, list(regions))
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
        tables, attendance_cells = _attendance_tables(events, attendance, release=release)
        # The churches a done leader training lists are counted: not listed when hidden.
        listed = church_lists(release)
        attendance = [
            a
            for a in attendance
            if listed(a.event.rollout.region.code, event_training_month(a.event))
        ]
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
        sheets = [
            (_("Events"), *table(event_columns.events(lambda e: tables[e.pk].totals), events)),
            (
                _("Attendance"),
                *table(event_columns.attendance(lambda a: attendance_cells[a.pk]), attendance),
            ),
            (
                _("Findings"),
                *table(finding_columns.workbook(evidence_shown=not restricted), findings),
            ),
            (_("Measures"), *table(measure_columns.ACROSS_REGIONS, measures)),
            (
                _("Observations"),
                *table(
                    observation_columns.observations(lambda o: _observation_value(o, release)),
                    observations,
                ),
            ),
        ]
        if release.waiting:  # the counts read "c": the first sheet says why
            sheets.insert(0, (_("Note"), [_("Note")], [[release.output_note]]))
        return tabular.xlsx_bytes(sheets)
