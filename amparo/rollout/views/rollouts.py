"""The program page, starting a rollout and its status board."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.audit import object_history
from amparo.disclosure.release import MARKER, groups_shown, request_release
from amparo.form_errors import save_or_form_errors
from amparo.rollout import queries, services
from amparo.rollout.forms import RolloutForm
from amparo.territory import home


@login_required
def program_overview(request: HttpRequest) -> HttpResponse:
    regions = access.regions_visible(request.user)
    release = request_release(request)
    lines = queries.program_overview(regions, release=release)
    program_map = home.program_map(request.user, regions, lines) if lines else None
    return render(
        request,
        "rollout/program.html",
        {
            "lines": lines,
            "map": program_map,
            "release": release,
            "hides_counts": any(
                MARKER
                in (x.pastors_trained, x.churches_represented, x.groups_launched, x.groups_active)
                for x in lines
            ),
        },
    )


@login_required
def rollout_start(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    form = RolloutForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        rollout = save_or_form_errors(
            form, lambda: services.rollout_start(region=region, **form.cleaned_data)
        )
        if rollout:
            messages.success(request, _("Rollout started."))
            return redirect("rollout-board", code=region.code, pk=rollout.pk)
    return render(
        request,
        "rollout/rollout_form.html",
        {"form": form, "region": region},
        status=422 if form.errors else 200,
    )


@login_required
def rollout_board(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    rollout = queries.rollout_or_404(request.user, region, pk)
    return render(
        request,
        "rollout/board.html",
        {
            "region": region,
            "board": queries.rollout_board(rollout),
            "can_change": access.can(request.user, Capability.CHANGE_REGION, region),
            "see_small_counts": access.sees_small_counts(request.user, region),
            "groups_shown": groups_shown(request_release(request), region.code),
            "history": object_history(rollout)
            if access.history_visible(request.user, region)
            else [],
        },
    )
