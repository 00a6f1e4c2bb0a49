"""Program and region dashboards, and a region's indicators with their charts."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.disclosure.release import request_release
from amparo.indicators.dashboard import chart_for, dashboard


@login_required
def program_dashboard(request: HttpRequest) -> HttpResponse:
    regions = access.regions_visible(request.user)
    see_small = access.sees_small_counts(request.user, regions)
    release = request_release(request)
    board = dashboard(regions, user=request.user, release=release)
    return render(
        request,
        "indicators/dashboard.html",
        {
            "board": board,
            "region": None,
            "see_small": see_small,
            "release": release,
            "charts": [(v, chart_for(v)) for v in board.indicators],
            "regions": [line.region for line in board.lines],
            "can_manage": access.is_program_admin(request.user),
        },
    )


def _region_board(request: HttpRequest, code: str, *, key_only: bool) -> dict:
    """What a region's dashboard and its indicators page share: the region, its board as
    the user may see it, and the charts."""
    region = access.region_or_404(request.user, code)
    see_small = access.sees_small_counts(request.user, region)
    release = request_release(request)
    board = dashboard(
        access.regions_visible(request.user).filter(pk=region.pk),
        user=request.user,
        key_only=key_only,
        release=release,
    )
    return {
        "board": board,
        "region": region,
        "see_small": see_small,
        "release": release,
        "charts": [(v, chart_for(v)) for v in board.indicators],
        "can_manage": access.is_program_admin(request.user),
    }


@login_required
def region_dashboard(request: HttpRequest, code: str) -> HttpResponse:
    page = _region_board(request, code, key_only=True)
    return render(request, "indicators/dashboard.html", {**page, "regions": [page["region"]]})


@login_required
def region_indicators(request: HttpRequest, code: str) -> HttpResponse:
    page = _region_board(request, code, key_only=False)
    can_enter = access.can(request.user, Capability.CHANGE_REGION, page["region"])
    return render(request, "indicators/region_indicators.html", {**page, "can_enter": can_enter})
