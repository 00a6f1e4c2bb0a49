"""The address a request comes from, for per-client limits: the sign-in lockout (axes) and
the password-reset throttle."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """``REMOTE_ADDR``; behind the one trusted reverse proxy (``BEHIND_PROXY``) that is the
    proxy itself, so the address the proxy saw, which it appends last to X-Forwarded-For
    (earlier entries come from the client and can be forged)."""
    if settings.BEHIND_PROXY:
        last = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
