"""Calendar links: a settings page to create and revoke them, and the feeds themselves."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.rollout import ical, queries, services


def _page(request: HttpRequest, new_token: str | None = None) -> HttpResponse:
    feeds = request.user.calendar_feeds.order_by("-created_at")
    links = None
    if new_token:
        links = [(_("All my regions"), reverse("calendar-feed", args=[new_token]))] + [
            (region.name, reverse("calendar-region-feed", args=[new_token, region.code]))
            for region in access.regions_visible(request.user)
        ]
        links = [(label, request.build_absolute_uri(url)) for label, url in links]
    return render(request, "rollout/calendar.html", {"feeds": feeds, "links": links})


@login_required
def calendar_settings(request: HttpRequest) -> HttpResponse:
    return _page(request)


@login_required
@require_POST
def calendar_create(request: HttpRequest) -> HttpResponse:
    # The token is shown in this response only; it is never stored in clear or in a cookie.
    return _page(request, new_token=services.calendar_feed_create(user=request.user))


@login_required
@require_POST
def calendar_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    services.calendar_feed_revoke(user=request.user, pk=pk)
    messages.success(request, _("Calendar link revoked."))
    return redirect("calendar-settings")


def calendar_feed(request: HttpRequest, token: str, code: str | None = None) -> HttpResponse:
    user = services.calendar_feed_use(token=token)
    if user is None:
        raise Http404
    regions = access.regions_visible(user)
    if code is not None:
        regions = regions.filter(pk=access.region_or_404(user, code).pk)
    body = ical.events_ics(
        queries.events_for_calendar(regions),
        title=f"amparo · {code or _('all regions')}",
        domain=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
