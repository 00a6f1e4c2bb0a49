"""Church-track settings the planner reads: delivery teams, travel times between regions,
blackout periods. Program admins change them; regional coordinators read their region's."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.form_errors import save_or_form_errors
from amparo.rollout import blackout_calendar, queries, settings_services, travel
from amparo.rollout.forms import BlackoutForm, MonthForm, TeamForm
from amparo.rollout.models import Blackout, Team
from amparo.territory.models import Region


@login_required
def settings_overview(request: HttpRequest) -> HttpResponse:
    regions = list(access.settings_regions(request.user))
    return render(
        request,
        "rollout/settings/overview.html",
        {
            "regions": regions,
            "uses": queries.planner_settings(regions),
            "can_manage": access.is_program_admin(request.user),
        },
    )


# --- teams -------------------------------------------------------------------------------


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    regions = access.settings_regions(request.user)
    manage = access.is_program_admin(request.user)
    return render(
        request,
        "rollout/settings/team_list.html",
        {"teams": queries.teams_for_settings(None if manage else regions), "can_manage": manage},
    )


@login_required
def team_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access.require_program_admin(request.user)
    team = get_object_or_404(Team, pk=pk) if pk else None
    form = TeamForm(request.POST or None, instance=team)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = save_or_form_errors(
            form,
            lambda: settings_services.team_save(
                team=team,
                code=data.get("code"),
                name=data["name"],
                stages=list(data["stages"]),
                home_region=data["home_region"],
                notes=data["notes"],
            ),
        )
        if saved:
            messages.success(request, _("Team saved."))
            return redirect("team-list")
    return render(
        request,
        "rollout/settings/team_form.html",
        {"form": form, "team": team},
        status=422 if form.errors else 200,
    )


@login_required
def team_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what removing the team would mean; POST: remove it, or say why not."""
    access.require_program_admin(request.user)
    team = get_object_or_404(Team, pk=pk)
    if request.method == "POST":
        try:
            settings_services.team_delete(team=team)
            messages.success(request, _("Team removed."))
            return redirect("team-list")
        except settings_services.ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return render(
        request,
        "rollout/settings/team_delete.html",
        {"team": team, "blockers": settings_services.team_removal_blockers(team)},
    )


# --- travel times ------------------------------------------------------------------------


def _posted_cells(request: HttpRequest, codes: list[str]) -> dict[travel.Pair, str]:
    return {
        (a, b): request.POST.get(f"d-{a}-{b}", "").strip() for a in codes for b in codes if a != b
    }


@login_required
def travel_times(request: HttpRequest) -> HttpResponse:
    """The matrix editor. Every button posts the whole grid: "fill from the pasted block",
    "fill the missing ones with suggestions" and "use" on one cell change only what is
    shown; "save" checks every cell and stores all or nothing."""
    readable = access.settings_regions(request.user)
    manage = access.is_program_admin(request.user)
    # Every region is a column (their names are public); coordinators get their own rows.
    columns = list(Region.objects.all())
    matrix = queries.travel_matrix(columns, columns if manage else list(readable))
    named = [(r.code, r.name) for r in columns]
    editor = travel.Editor(cells={pair: str(d) for pair, d in matrix.days.items()})
    same_both_ways = matrix.symmetric
    status = 200
    if request.method == "POST":
        access.require_program_admin(request.user)
        cells = _posted_cells(request, [r.code for r in columns])
        same_both_ways = request.POST.get("same_both_ways") == "on"
        action = request.POST.get("action", "save")
        if action == "save":
            try:
                count = settings_services.travel_times_save(
                    regions=columns, cells=cells, same_both_ways=same_both_ways
                )
                messages.success(request, _("Travel times saved: %(n)s.") % {"n": count})
                return redirect("travel-times")
            except settings_services.ValidationError:
                editor = travel.editor_refused(cells, same_both_ways=same_both_ways, regions=named)
                status = 422
        else:
            editor = travel.editor_fill(
                action,
                cells=cells,
                same_both_ways=same_both_ways,
                paste=request.POST.get("paste", ""),
                suggestions=matrix.suggestions,
                regions=named,
            )
    grid = [
        [
            {
                "cell": cell,
                "value": editor.cells.get((cell.origin.code, cell.destination.code), ""),
                "error": editor.errors.get((cell.origin.code, cell.destination.code)),
            }
            for cell in row
        ]
        for row in matrix.rows
    ]
    return render(
        request,
        "rollout/settings/travel_times.html",
        {
            "matrix": matrix,
            "grid": grid,
            "same_both_ways": same_both_ways,
            "paste": editor.paste,
            "notes": editor.notes,
            "can_manage": manage,
            "max_days": travel.MAX_DAYS,
            "km_per_day": int(travel.SUGGESTION_KM_PER_DAY),
        },
        status=status,
    )


# --- blackouts ---------------------------------------------------------------------------


def _month(request: HttpRequest) -> tuple[int, int]:
    form = MonthForm(request.GET)
    chosen = form.cleaned_data.get("month") if form.is_valid() else None
    day = chosen or timezone.localdate()
    return day.year, day.month


@login_required
def blackout_calendar_page(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    if not access.settings_regions(request.user).filter(pk=region.pk).exists():
        raise PermissionDenied
    year, month = _month(request)
    first, last = blackout_calendar.month_bounds(year, month)
    rows = queries.region_blackouts(region)
    shown = [
        (a, b, row)
        for row in rows
        for a, b in blackout_calendar.occurrences(
            blackout_calendar.Period(row.first_day, row.last_day, row.every_year), first, last
        )
    ]
    previous = blackout_calendar.shift_month(year, month, -1)
    following = blackout_calendar.shift_month(year, month, 1)
    return render(
        request,
        "rollout/settings/blackouts.html",
        {
            "region": region,
            "blackouts": rows,
            "weeks": blackout_calendar.month_weeks(year, month, shown),
            "month_start": first,
            "previous": f"{previous[0]:04d}-{previous[1]:02d}",
            "following": f"{following[0]:04d}-{following[1]:02d}",
            "weekdays": [date(2024, 1, d) for d in range(1, 8)],  # a Monday to a Sunday
            "can_manage": access.is_program_admin(request.user),
        },
    )


@login_required
def blackout_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require_program_admin(request.user)
    blackout = get_object_or_404(Blackout, region=region, pk=pk) if pk else None
    form = BlackoutForm(request.POST or None, instance=blackout, region=region)
    if request.method == "POST" and form.is_valid():
        saved = save_or_form_errors(
            form,
            lambda: settings_services.blackout_save(
                region=region, blackout=blackout, **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Blackout period saved."))
            url = reverse("blackout-calendar", kwargs={"code": region.code})
            return redirect(f"{url}?month={saved.first_day:%Y-%m}")
    return render(
        request,
        "rollout/settings/blackout_form.html",
        {"form": form, "region": region, "blackout": blackout},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def blackout_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require_program_admin(request.user)
    blackout = get_object_or_404(Blackout, region=region, pk=pk)
    settings_services.blackout_delete(region=region, blackout=blackout)
    messages.success(request, _("Blackout period removed."))
    return redirect("blackout-calendar", code=region.code)
