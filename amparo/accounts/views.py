"""The program-level change log (program admins)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amparo import audit
from amparo.accounts import access


@login_required
def change_log(request: HttpRequest) -> HttpResponse:
    access.require_program_admin(request.user)
    model = request.GET.get("model", "")
    username = request.GET.get("user", "").strip()[:150]
    models = [(m._meta.label_lower, str(m._meta.verbose_name)) for m in audit.tracked_models()]
    if model not in dict(models):
        model = ""
    return render(
        request,
        "audit/log.html",
        {
            "changes": audit.recent_changes(model=model, username=username),
            "models": sorted(models, key=lambda m: m[1]),
            "model": model,
            "username": username,
        },
    )
