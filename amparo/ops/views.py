"""Health checks for monitors (no sign-in, no secrets, no personal data) and the
operations page for program admins."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

import amparo
from amparo.accounts import access
from amparo.ops import health, queries


@never_cache
@require_GET
def health_live(request: HttpRequest) -> JsonResponse:
    """The process answers (it touches nothing else)."""
    return JsonResponse({"status": "ok", "version": amparo.__version__})


@never_cache
@require_GET
def health_ready(request: HttpRequest) -> JsonResponse:
    """Ready for work: 200 when every check passes, 503 naming the failing ones."""
    checks = health.readiness()
    ready = not any(checks.values())
    return JsonResponse(
        {
            "status": "ok" if ready else "fail",
            "version": amparo.__version__,
            "checks": {
                name: {"ok": problem is None, **({"problem": problem} if problem else {})}
                for name, problem in checks.items()
            },
        },
        status=200 if ready else 503,
    )


@login_required
def ops_status(request: HttpRequest) -> HttpResponse:
    access.require_program_admin(request.user)
    checks = health.readiness()
    return render(
        request,
        "ops/status.html",
        {
            "version": amparo.__version__,
            "checks": sorted(checks.items()),
            "jobs": queries.job_rows(),
            "workers": queries.workers(),
            "queue": queries.queue_counts(),
            "failures": queries.failed_tasks(),
            "protections": queries.protection_status(),
        },
    )
