"""List pages as CSV: the same rows as on the page, asked of the same query functions with
the same access, in the entities' shared columns where they have them (``columns.py``),
sent by ``downloads.csv_download`` (text that a spreadsheet would run is quoted)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from amparo.accounts import access
from amparo.disclosure.release import MARKER, request_release
from amparo.downloads import csv_download
from amparo.indicators.models import Indicator
from amparo.indicators.queries import indicator_views
from amparo.mitigation import columns as measure_columns
from amparo.mitigation import queries as mitigation_queries
from amparo.partnerships import queries as partnership_queries
from amparo.tabular import table


@login_required
def rounds_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The region's assessment rounds, as on the rounds page, with their number of findings
    in the sectors the user may read."""
    region = access.region_or_404(request.user, code)
    rounds = (
        region.assessments.select_related("matrix")
        .annotate(n_findings=Count("findings", filter=access.sector_filter(
            request.user, region, field="findings__sector"
        )))
        .order_by("-number")
    )  # fmt: skip
    return csv_download(
        f"{pgettext('file name', 'rounds')}-{region.code}",
        [_("Round"), _("Status"), _("Started on"), _("Completed on"), _("Matrix"), _("Findings")],
        (
            [
                a.number,
                a.get_status_display(),
                a.started_on,
                timezone.localdate(a.completed_at) if a.completed_at else None,
                a.matrix.name,
                a.n_findings,
            ]
            for a in rounds
        ),
    )


@login_required
def my_measures_csv(request: HttpRequest) -> HttpResponse:
    """The measures the user follows up, as on "my measures"."""
    measures = mitigation_queries.measure_list(
        mitigation_queries.measures_followed(request.user)
    ).order_by("due_on", "pk")
    return csv_download(
        pgettext("file name", "my-measures"), *table(measure_columns.ACROSS_REGIONS, measures)
    )


@login_required
def my_tasks_csv(request: HttpRequest) -> HttpResponse:
    """The user's open next steps, as on "my tasks"."""
    steps = partnership_queries.my_open_steps(request.user)
    return csv_download(
        pgettext("file name", "my-tasks"),
        [_("Region"), _("Due"), _("Next step"), _("Meeting")],
        ([s.meeting.region.name, s.due_on, s.description, s.meeting.purpose] for s in steps),
    )


@login_required
def partnerships_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The region's partnerships, as on its partnerships page."""
    region = access.region_or_404(request.user, code)
    partnerships = partnership_queries.region_partnerships(region, moves=False).order_by(
        "organization__name"
    )
    return csv_download(
        f"{pgettext('file name', 'partnerships')}-{region.code}",
        [_("Organization"), _("Stage"), _("In this stage since"), _("Introduced by"),
         _("Signed agreement")],
        (
            [
                p.organization.name,
                p.get_stage_display(),
                p.since,
                p.introduced_by.organization.name if p.introduced_by else "",
                _("yes") if p.agreement else _("no"),
            ]
            for p in partnerships
        ),
    )  # fmt: skip


@login_required
def indicators_csv(request: HttpRequest, code: str) -> HttpResponse:
    """The region's indicator values, as charted on its indicators page: one row per
    indicator and period. Values the user's release hides (as on the page and in the
    chart) are the marker ``c``, explained in a last row."""
    region = access.region_or_404(request.user, code)
    release = request_release(request)
    views = indicator_views(
        Indicator.objects.order_by("code"),
        access.regions_visible(request.user).filter(pk=region.pk),
        measure_scope=Q(pk__in=[]),  # the marks of measures are not listed
    )
    for view in views:
        view.withhold(release, {str(region.pk): region.code}, every_region=False)
    rows = [
        [
            view.indicator.code,
            view.indicator.name,
            period,
            MARKER if period in view.hidden_periods else (round(value) if view.is_count else value),
            view.target,
        ]
        for view in views
        for period, value in view.series
    ]
    if any(view.hidden_periods for view in views):
        rows.append(["", release.output_note, "", "", ""])
    return csv_download(
        f"{pgettext('file name', 'indicators')}-{region.code}",
        [_("Indicator"), _("Name"), _("Period"), _("Value"), _("Target")],
        rows,
    )
