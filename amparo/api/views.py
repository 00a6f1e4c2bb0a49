"""The page where people create and revoke their personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.api import services

# Where a new token waits, between the POST that creates it and the page that shows it.
NEW_TOKEN_KEY = "api_new_token"  # noqa: S105 - a session key, not a secret


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        name = request.POST.get("name", "").strip() or _("API token")
        # Kept in the server-side session only until the page below shows it (post/
        # redirect/get, so reloading the page creates no second token); never in a cookie
        # or a message.
        request.session[NEW_TOKEN_KEY] = services.token_create(
            user=request.user, name=name, read_only=request.POST.get("write") != "on"
        )
        return redirect("api-tokens")
    new_token = request.session.pop(NEW_TOKEN_KEY, None)
    response = render(
        request,
        "api/tokens.html",
        {"tokens": request.user.api_tokens.all(), "new_token": new_token},
    )
    if new_token:
        patch_cache_control(response, no_store=True)
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    services.token_revoke(user=request.user, pk=pk)
    messages.success(request, _("Token revoked."))
    return redirect("api-tokens")
