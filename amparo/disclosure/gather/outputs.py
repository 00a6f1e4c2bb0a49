"""The outputs a reader can get, each read back into figures (``Figure``).

Every collector gets the output as the reader does (a request through every middleware,
or the function a background report is made with, under the reader's account) and reads
the numbers out of what comes back: JSON, CSV and XLSX bytes parsed back, the SVG of a
chart (the value in a point's title, as a screen reader hears it), the cards of a
dashboard. Only counts of people are collected: percentages, soles and days are not
subject to the small-count rule (``docs/disclosure.md``). A ratio of two counts (a
percentage of children protected) is read as what it is, a relation between its parts
(``Ratio``): with its denominator known it gives the numerator back.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.test import Client
from django.urls import reverse

from amparo.disclosure.gather import Figure, Ratio, printed_half
from amparo.disclosure.gather.cells import (
    PROGRAM,
    is_hidden_mark,
    obs_key,
    parse_number,
    period_key,
)
from amparo.disclosure.gather.reader import Reader
from amparo.indicators.models import Indicator, Unit
from amparo.territory.models import Region


@dataclass
class Context:
    reader: Reader
    client: Client
    regions: list[Region]  # those the reader sees
    all_regions: int
    indicators: dict[str, Indicator]  # counts of people, by code
    # Ratios of two counts of people, by code: (numerator, denominator, scale).
    ratios: dict[str, tuple[str, str, float]] = field(default_factory=dict)

    @property
    def region_codes(self) -> dict[str, str]:
        """Region codes by id, as a view's points name regions."""
        return {str(r.pk): r.code for r in self.regions}

    @property
    def program(self) -> str | None:
        """The key of what a page combines over the reader's regions: the program's when
        they are all of them (other combinations are no cell of the tables)."""
        return PROGRAM if len(self.regions) == self.all_regions else None

    def period(self, code: str, day: date) -> str:
        return period_key(day, self.indicators[code].frequency)


Collector = Callable[[Context], Iterator[Figure]]


def _get(ctx: Context, path: str, **query: object):
    response = ctx.client.get(path, query)
    if response.status_code != 200:
        raise OutputError(f"{path} answered {response.status_code}")
    return response


class OutputError(RuntimeError):
    pass


# --- the API -------------------------------------------------------------------------


def _api_items(ctx: Context, path: str) -> Iterator[tuple[int, dict]]:
    """Every item of a paginated API list, with its place in the whole list (from 0)."""
    offset, limit = 0, 500
    while True:
        page = json.loads(_get(ctx, path, limit=limit, offset=offset).content)
        items = page.get("items", [])
        yield from enumerate(items, start=offset)
        offset += limit
        if not items or offset >= int(page.get("count", 0)):
            return


def api_observations(ctx: Context) -> Iterator[Figure]:
    """``GET /api/v1/observations``, every page."""
    for index, item in _api_items(ctx, "/api/v1/observations"):
        code = item.get("indicator")
        if code not in ctx.indicators:
            continue
        cell = obs_key(
            code,
            item["region"],
            ctx.period(code, date.fromisoformat(str(item["period"])[:10])),
            item.get("disaggregation") or "",
        )
        hidden = item.get("hidden") or item.get("suppressed") or is_hidden_mark(item["value"])
        value = None if hidden else parse_number(item.get("value"))
        if hidden or value is not None:
            yield Figure(cell, value, f"API /api/v1/observations item {index + 1}")


def api_events(ctx: Context) -> Iterator[Figure]:
    """``GET /api/v1/events``, every page: each event's attendance per organization."""
    from amparo.disclosure import track

    listed: dict[int, set[int]] = {}
    for index, event in _api_items(ctx, "/api/v1/events"):
        if event.get("attendance"):  # an empty list may be a withheld one: it tells nothing
            listed[int(event["id"])] = {row["organization_id"] for row in event["attendance"]}
        for row in event.get("attendance", []):
            for column in track.COLUMNS:
                shown = row.get(column)
                if shown is None and not (row.get("hidden") or row.get("suppressed")):
                    continue
                cell = track.event_cell(
                    event["region"], event["id"], column, row["organization_id"]
                )
                yield Figure(cell, parse_number(shown), f"API /api/v1/events item {index + 1}")
    yield from church_figures(ctx, listed, "API /api/v1/events, organizations listed")


def church_figures(ctx: Context, listed: dict[int, set[int]], where: str) -> Iterator[Figure]:
    """The churches represented that lists of organizations give by counting: ``listed``
    are the organizations an output lists at each event (by event id; an event it lists
    none for is absent). The churches of a region's done leader trainings are its churches
    represented, per month and all time: counted wherever every such list is there (a
    reader can tell a church from its name, so the audit uses the kind)."""
    from amparo.disclosure import track

    code, churches, trainings = church_facts(ctx)
    for region, months in sorted(trainings.items()):
        every = True
        for month, ids in sorted(months.items()):
            if not all(i in listed for i in ids):
                every = False
                continue
            found = set().union(*(listed[i] & churches for i in ids))
            if code:
                yield Figure(track.month_cell(code, region, month), len(found), where)
        if every:
            found = set().union(*(listed[i] & churches for ids in months.values() for i in ids))
            yield Figure(track.track_cell(region, "churches_represented"), len(found), where)


def church_facts(ctx: Context) -> tuple[str | None, set[int], dict[str, dict[date, list[int]]]]:
    """What a reader knows besides the lists: the code of the indicator computed from the
    churches represented, which organizations are churches, and the done leader trainings
    of each region by month (event ids)."""
    from amparo.disclosure import release
    from amparo.rollout.models import Event
    from amparo.territory.models import Organization, OrganizationKind

    churches = set(
        Organization.objects.filter(kind=OrganizationKind.CHURCH).values_list("pk", flat=True)
    )
    trainings: dict[str, dict[date, list[int]]] = {}
    events = Event.objects.filter(rollout__region__in=ctx.regions).select_related(
        "stage", "rollout__region"
    )
    for event in events:
        month = release.event_training_month(event)
        if month is not None:
            region = trainings.setdefault(event.rollout.region.code, {})
            region.setdefault(month, []).append(event.pk)
    return release.computed_codes().get("churches_represented"), churches, trainings


# --- downloads -----------------------------------------------------------------------


def indicators_csv(ctx: Context) -> Iterator[Figure]:
    """``/regions/<code>/indicators.csv`` of every region the reader sees."""
    for region in ctx.regions:
        path = reverse("indicators-csv", args=[region.code])
        rows = list(csv.reader(io.StringIO(_get(ctx, path).content.decode("utf-8-sig"))))
        for number, row in enumerate(rows[1:], start=2):
            if len(row) >= 4 and row[0] in ctx.ratios and parse_number(row[3]) is not None:
                yield _region_ratio(ctx, row[0], region.code, _day(row[2]), row[3],
                                    f"CSV {path} row {number}")  # fmt: skip
                continue
            if len(row) < 4 or row[0] not in ctx.indicators:
                continue
            cell = obs_key(row[0], region.code, ctx.period(row[0], _day(row[2])))
            value = parse_number(row[3])
            if value is not None or is_hidden_mark(row[3]):
                yield Figure(cell, value, f"CSV {path} row {number}")


def dhis2_export(ctx: Context) -> Iterator[Figure]:
    """The DHIS2 data value set (JSON) of every region and year with values, read back
    with the mapping's names (a value the export leaves out is simply not shown)."""
    from amparo.dhis2.queries import mapping
    from amparo.indicators.models import Observation

    elements, units, combos = mapping().reverse()
    years = sorted({d.year for d in Observation.objects.dates("period", "year")})
    for region in ctx.regions:
        path = reverse("dhis2-export", args=[region.code])
        for year in years:
            body = json.loads(_get(ctx, path, period=str(year), format="json").content)
            for index, value in enumerate(body.get("dataValues", []), start=1):
                code = elements.get(value.get("dataElement"))
                if code not in ctx.indicators:
                    continue
                period = str(value.get("period") or body.get("period"))
                unit = value.get("orgUnit") or body.get("orgUnit")
                cell = obs_key(
                    code,
                    units.get(unit, region.code),
                    ctx.period(code, _dhis2_day(period)),
                    combos.get(value.get("categoryOptionCombo", ""), ""),
                )
                number = parse_number(value.get("value"))
                if number is not None or is_hidden_mark(value.get("value")):
                    yield Figure(cell, number, f"DHIS2 {path}?period={year} value {index}")


def workbook(ctx: Context) -> Iterator[Figure]:
    """The XLSX workbook of a report, in each version this reader can ask for, parsed back:
    its Observations, Events and Attendance."""
    from openpyxl import load_workbook

    from amparo.reports import render

    regions = Region.objects.filter(pk__in=[r.pk for r in ctx.regions])
    for donor in report_versions(ctx):
        content = render.workbook_xlsx(regions, user=ctx.reader.user, lang="en", donor=donor)
        where = "XLSX donor report" if donor else "XLSX report"
        yield from _workbook_figures(load_workbook(io.BytesIO(content), read_only=True), ctx, where)


def report_versions(ctx: Context) -> tuple[bool, ...]:
    """The versions of a report the reader can ask for: anyone may ask for the one for
    donors and the public (``donor``), donors get only that one."""
    return (True,) if ctx.reader.donor else (False, True)


def _workbook_figures(book, ctx: Context, where: str) -> Iterator[Figure]:
    by_name = {r.name: r.code for r in ctx.regions}
    sheet = book["Observations"]
    rows = sheet.iter_rows(values_only=True)
    header = [str(h) for h in next(rows)]
    at = {name: header.index(name) for name in header}
    yield from _workbook_events(book, ctx, where)
    for number, row in enumerate(rows, start=2):
        code = row[at["Indicator"]]
        if code not in ctx.indicators:
            continue
        region = by_name.get(row[at["Region"]], row[at["Region"]])
        cell = obs_key(
            code, region, ctx.period(code, _day(row[at["Period"]])), row[at["Disaggregation"]] or ""
        )
        shown = row[at["Value"]]
        value = parse_number(shown)
        if value is not None or is_hidden_mark(shown):
            yield Figure(cell, value, f"{where}, Observations row {number}")


def _workbook_events(book, ctx: Context, where: str) -> Iterator[Figure]:
    """The workbook's Events (each event's totals) and Attendance (per organization) sheets.
    Rows carry no ids: they are matched in the order the workbook writes them, checked
    against the region's and the organization's names and the first day; the churches the
    Attendance sheet lists are counted (``church_figures``)."""
    from amparo.disclosure import track
    from amparo.rollout.models import Attendance, Event

    events = list(
        Event.objects.filter(rollout__region__in=ctx.regions)
        .select_related("rollout__region")
        .order_by("rollout__region__name", "starts_on", "pk")
    )
    attendance = list(
        Attendance.objects.filter(event__rollout__region__in=ctx.regions)
        .select_related("event__rollout__region", "organization")
        .order_by("event__rollout__region__name", "event__starts_on", "event", "pk")
    )
    # The organizations the Attendance sheet lists per event: an event with no attendance
    # lists nothing, the others are listed once a row of theirs is read.
    with_rows = {a.event_id for a in attendance}
    listed: dict[int, set[int]] = {e.pk: set() for e in events if e.pk not in with_rows}
    for title, items, organization in (("Events", events, None), ("Attendance", attendance, 1)):
        rows = book[title].iter_rows(values_only=True)
        header = [str(h) for h in next(rows)]
        at = {name: header.index(name) for name in header}
        pending = iter(items)
        for number, row in enumerate(rows, start=2):
            # The rows are in the order of ``items``; an event whose organizations are not
            # listed has no rows in Attendance, so items are skipped until one matches.
            for item in pending:
                event = item if organization is None else item.event
                region = event.rollout.region
                if row[at["Region"]] == region.name and (
                    not organization
                    or (
                        row[at["Organization"]] == item.organization.name
                        and _day(row[at["Starts on"]]) == event.starts_on
                    )
                ):
                    break
                if organization is None:
                    raise OutputError(f"workbook sheet {title} row {number} is not in order")
            else:
                raise OutputError(f"workbook sheet {title} row {number} matches no item")
            if organization:
                listed.setdefault(event.pk, set()).add(item.organization_id)
            for column, name in zip(track.COLUMNS, ("Pastors", "Leaders", "Others"), strict=True):
                shown = row[at[name]]
                value = parse_number(shown)
                if value is None and not is_hidden_mark(shown):
                    continue
                org = "" if organization is None else item.organization_id
                cell = track.event_cell(region.code, event.pk, column, org)
                yield Figure(cell, value, f"{where}, {title} row {number}")
    yield from church_figures(ctx, listed, f"{where}, Attendance (organizations listed)")


# --- pages and charts ----------------------------------------------------------------

POINT = re.compile(r"<circle[^>]*><title>(\d{4}-\d{2}): ([^<]+)</title></circle>")


def chart_figures(ctx: Context, charts, region: str | None, where: str) -> Iterator[Figure]:
    """The figures of indicator cards and their charts, ``charts`` as the page has them
    ((view, svg) pairs): each point's value as its title reads, and the card's current
    value. ``region`` is the cell's region (None: a combination that is no cell). A ratio's
    points and current value are relations between the region cells they divide."""
    for view, svg in charts:
        code = view.indicator.code
        if code in ctx.ratios:
            yield from _ratio_figures(ctx, view, svg, where)
            continue
        if code not in ctx.indicators or region is None:
            continue
        for month, text in POINT.findall(svg or ""):
            value = parse_number(text)
            day = date.fromisoformat(month + "-01")
            if value is not None:
                yield Figure(
                    obs_key(code, region, ctx.period(code, day)), value, f"{where}, chart {code}"
                )
        current, period = getattr(view, "current", None), getattr(view, "period", None)
        if period is None or current is None:
            continue
        cell = obs_key(code, region, ctx.period(code, period))
        value = parse_number(current)
        if value is not None or is_hidden_mark(current):
            yield Figure(cell, value, f"{where}, card {code}")


def _ratio_figures(ctx: Context, view, svg: str, where: str) -> Iterator[Ratio]:
    """A ratio's chart points (as their titles print them) and card (one decimal, as the
    pages and the PDF print it), each over the region cells the view divides: for a
    period, the numerator's and the denominator's values of the regions that report both
    (``aggregation.ratio_points``)."""
    numerator, denominator, scale = ctx.ratios[view.indicator.code]
    cells_of = getattr(view, "cells_by_period", {}) or {}
    by_month = {day.isoformat()[:7]: day for day in cells_of}
    names = ctx.region_codes
    place = f"{where}, chart {view.indicator.code}"

    def cells(day: date, code: str, regions: set[str] | None = None) -> tuple:
        return tuple(
            obs_key(code, names.get(p.region, p.region), ctx.period(code, p.period))
            for part, p in cells_of.get(day, [])
            if part == code and (regions is None or p.region in regions)
        )

    for month, text in POINT.findall(svg or ""):
        value, day = parse_number(text), by_month.get(month)
        if value is None or day is None:
            continue
        # The chart prints a value under 100 with one decimal unless it is whole.
        half = 0.0 if "." not in text and abs(value) < 100 else printed_half(text)
        yield Ratio(cells(day, numerator), cells(day, denominator), value, half, scale, place)
    current, period = getattr(view, "current", None), getattr(view, "period", None)
    if period in cells_of and isinstance(current, int | float):
        regions = set(getattr(view, "current_regions", ()) or ()) or None
        yield Ratio(
            cells(period, numerator, regions),
            cells(period, denominator, regions),
            round(float(current), 1),
            0.05,
            scale,
            f"{where}, card {view.indicator.code}",
        )


def _region_ratio(ctx: Context, code: str, region: str, day: date, text: str, where: str) -> Ratio:
    """A ratio of one region and period as a download prints it (unrounded)."""
    numerator, denominator, scale = ctx.ratios[code]
    value = parse_number(text) or 0.0
    return Ratio(
        (obs_key(numerator, region, ctx.period(numerator, day)),),
        (obs_key(denominator, region, ctx.period(denominator, day)),),
        value,
        max(printed_half(text), 1e-9 * abs(value)),
        scale,
        where,
    )


def dashboards(ctx: Context) -> Iterator[Figure]:
    """The program dashboard, and every region's dashboard and indicators page."""
    page = _get(ctx, reverse("program-dashboard"))
    yield from chart_figures(ctx, page.context["charts"], ctx.program, "page /dashboard/")
    for region in ctx.regions:
        for name in ("region-dashboard", "region-indicators"):
            path = reverse(name, args=[region.code])
            page = _get(ctx, path)
            yield from chart_figures(ctx, page.context["charts"], region.code, f"page {path}")


def program_overview(ctx: Context) -> Iterator[Figure]:
    """``/program/``: each region's line of the church track (pastors trained, churches
    represented, groups launched and active)."""
    from amparo.disclosure import track

    page = _get(ctx, reverse("program"))
    for line in page.context["lines"]:
        for what in ("pastors_trained", "churches_represented", "groups_launched", "groups_active"):
            shown = getattr(line, what, None)
            value = parse_number(shown)
            if value is not None or is_hidden_mark(shown):
                cell = track.track_cell(line.region.code, what)
                yield Figure(cell, value, f"page /program/, {line.region.code} {what}")


def event_pages(ctx: Context) -> Iterator[Figure]:
    """Every event's page: its attendance table (per organization and each column's
    total), the capacity warning, which says how many pastors came, and the churches it
    lists (``church_figures``)."""
    from amparo.disclosure import track
    from amparo.rollout.models import Event

    events = Event.objects.filter(rollout__region__in=ctx.regions).select_related("rollout__region")
    listed: dict[int, set[int]] = {}
    for event in events.order_by("pk"):
        region = event.rollout.region.code
        path = reverse("event-detail", args=[region, event.pk])
        page = _get(ctx, path)
        if page.context.get("churches_listed", True):
            listed[event.pk] = {row.organization_id for row, _c in page.context["attendance_rows"]}
        for row, cells in page.context["attendance_rows"]:
            for column, shown in zip(track.COLUMNS, cells, strict=True):
                value = parse_number(shown)
                if value is not None or is_hidden_mark(shown):
                    cell = track.event_cell(region, event.pk, column, row.organization_id)
                    yield Figure(cell, value, f"page {path}, attendance")
        for column, shown in zip(track.COLUMNS, page.context["attendance_totals"], strict=True):
            value = parse_number(shown)
            if value is not None or is_hidden_mark(shown):
                cell = track.event_cell(region, event.pk, column)
                yield Figure(cell, value, f"page {path}, total")
        for warning in page.context.get("capacity_warnings", []):
            if warning.what == "pastors" and warning.actual is not None:
                cell = track.event_cell(region, event.pk, "pastors")
                yield Figure(cell, float(warning.actual), f"page {path}, capacity warning")
    yield from church_figures(ctx, listed, "event pages, churches listed")


def group_lists(ctx: Context) -> Iterator[Figure]:
    """The recovery groups a region's rollout boards list, counted: how many (groups
    launched), how many active, how many launched each month; and from each group's page,
    how many met each month (a report with a meeting held). A list that is not shown
    gives nothing."""
    from amparo.disclosure import release, track
    from amparo.rollout.models import GroupStatus, Rollout

    codes = release.computed_codes()
    launched_code, active_code = codes.get("groups_launched"), codes.get("groups_active")
    for region in ctx.regions:
        groups, places = [], []
        for rollout in Rollout.objects.filter(region=region).order_by("pk"):
            path = reverse("rollout-board", args=[region.code, rollout.pk])
            page = _get(ctx, path)
            if page.context["groups_shown"]:
                groups += page.context["board"].groups
                places.append(path)
        if not places:
            continue
        where = f"page {' '.join(places)}, list of groups"
        yield Figure(track.track_cell(region.code, "groups_launched"), len(groups), where)
        active = sum(1 for g in groups if g.status == GroupStatus.ACTIVE)
        yield Figure(track.track_cell(region.code, "groups_active"), active, where)
        by_month: dict[date, set[int]] = {}
        for group in groups:
            by_month.setdefault(group.launched_on.replace(day=1), set()).add(group.pk)
        for month, found in sorted(by_month.items()) if launched_code else ():
            yield Figure(track.month_cell(launched_code, region.code, month), len(found), where)
        met: dict[date, set[int]] = {}
        for group in groups:
            path = reverse("group-detail", args=[region.code, group.pk])
            for report in _get(ctx, path).context["reports"]:
                if report.meetings_held > 0:
                    met.setdefault(report.month.replace(day=1), set()).add(group.pk)
        for month, found in sorted(met.items()) if active_code else ():
            cell = track.month_cell(active_code, region.code, month)
            yield Figure(cell, len(found), f"pages of the groups of {region.code}, reports")


def executive_summary(ctx: Context) -> Iterator[Figure]:
    """The content the PDF executive summary is drawn from (its cards and charts), for the
    program and for each region, in each version this reader can ask for."""
    from amparo.reports import content

    scopes = [(Region.objects.filter(pk__in=[r.pk for r in ctx.regions]), ctx.program)]
    scopes += [(Region.objects.filter(pk=r.pk), r.code) for r in ctx.regions]
    for regions, key in scopes:
        for donor in report_versions(ctx):
            summary = content.executive_summary(
                regions, user=ctx.reader.user, donor=donor, since=None
            )
            where = f"PDF donor report {key}" if donor else f"PDF report {key}"
            yield from chart_figures(ctx, summary.charts, key, where)


def _day(value: object) -> date:
    if isinstance(value, date):
        return value if not hasattr(value, "date") else value.date()
    return date.fromisoformat(str(value)[:10])


def _dhis2_day(period: str) -> date:
    """``2027`` / ``2027Q1`` / ``202701`` to the first day of it."""
    if "Q" in period:
        year, quarter = period.split("Q")
        return date(int(year), (int(quarter) - 1) * 3 + 1, 1)
    if len(period) == 6:
        return date(int(period[:4]), int(period[4:]), 1)
    return date(int(period[:4]), 1, 1)


# What each reader gets: the name printed in reports and ``--help``, and its collector.
READER_OUTPUTS: dict[str, Collector] = {
    "api-observations": api_observations,
    "api-events": api_events,
    "program-overview": program_overview,
    "event-pages": event_pages,
    "group-lists": group_lists,
    "indicators-csv": indicators_csv,
    "dhis2-export": dhis2_export,
    "dashboards": dashboards,
    "report-xlsx": workbook,
    "report-pdf": executive_summary,
}
# What a report for donors and the public shows.
DONOR_OUTPUTS: dict[str, Collector] = {
    "report-xlsx": workbook,
    "report-pdf": executive_summary,
}


def count_indicators() -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(unit=Unit.COUNT)}


def ratio_indicators() -> dict[str, tuple[str, str, float]]:
    """The ratios of two counts of people: code to (numerator, denominator, scale)."""
    from amparo.indicators.models import Aggregation

    return {
        code: (top, bottom, 100.0 if unit == Unit.PERCENT else 1.0)
        for code, top, bottom, unit in Indicator.objects.filter(
            aggregation=Aggregation.RATIO,
            numerator__unit=Unit.COUNT,
            denominator__unit=Unit.COUNT,
        ).values_list("code", "numerator__code", "denominator__code", "unit")
    }
