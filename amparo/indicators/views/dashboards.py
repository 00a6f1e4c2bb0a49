"""Program and region dashboards, and a region's indicators with their charts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from amparo import charts
from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.indicators.dashboard import dashboard
from amparo.indicators.queries import IndicatorView
from amparo.suppression import THRESHOLD


def chart_for(view: IndicatorView, *, see_small: bool) -> str:
    """The indicator's line chart; for viewers, small counts are left out of it."""
    points = view.series
    if view.is_count and not see_small:
        points = [(d, v) for d, v in points if v == 0 or v >= THRESHOLD]
    return charts.line_chart(
        points,
        title=view.indicator.name,
        target=view.target,
        baseline=view.baseline,
        marks=[(d, _("Implemented: %(title)s") % {"title": t}) for d, t in view.marks],
        width=420,
        height=180,
    )


def _sees_small(user, regions) -> bool:
    return all(access.can(user, Capability.VIEW_DETAIL, r) for r in regions)


@login_required
def program_dashboard(request: HttpRequest) -> HttpResponse:
    regions = access.regions_visible(request.user)
    board = dashboard(regions)
    see_small = _sees_small(request.user, board_regions := [line.region for line in board.lines])
    return render(
        request,
        "indicators/dashboard.html",
        {
            "board": board,
            "region": None,
            "see_small": see_small,
            "charts": [(v, chart_for(v, see_small=see_small)) for v in board.indicators],
            "regions": board_regions,
        },
    )


@login_required
def region_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    board = dashboard(access.regions_visible(request.user).filter(pk=region.pk))
    see_small = access.can(request.user, Capability.VIEW_DETAIL, region)
    return render(
        request,
        "indicators/dashboard.html",
        {
            "board": board,
            "region": region,
            "see_small": see_small,
            "charts": [(v, chart_for(v, see_small=see_small)) for v in board.indicators],
            "regions": [region],
        },
    )


@login_required
def region_indicators(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    board = dashboard(access.regions_visible(request.user).filter(pk=region.pk), key_only=False)
    see_small = access.can(request.user, Capability.VIEW_DETAIL, region)
    return render(
        request,
        "indicators/region_indicators.html",
        {
            "region": region,
            "see_small": see_small,
            "charts": [(v, chart_for(v, see_small=see_small)) for v in board.indicators],
            "can_enter": access.can(request.user, Capability.CHANGE_REGION, region),
        },
    )
