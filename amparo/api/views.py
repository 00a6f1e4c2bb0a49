"""The page where people create and revoke their personal API tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.api import services


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    new_token = None
    if request.method == "POST":
        name = request.POST.get("name", "").strip() or _("API token")
        # Shown in this response only; never stored in clear, never in a cookie or message.
        new_token = services.token_create(
            user=request.user, name=name, read_only=request.POST.get("write") != "on"
        )
    return render(
        request,
        "api/tokens.html",
        {"tokens": request.user.api_tokens.all(), "new_token": new_token},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    services.token_revoke(user=request.user, pk=pk)
    messages.success(request, _("Token revoked."))
    return redirect("api-tokens")
