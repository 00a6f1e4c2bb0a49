"""A Content Security Policy for amparo's own pages: scripts, styles and images only from
the site itself, no inline script or style (the templates use none), no framing. The admin
and the API's interactive docs (third-party pages with inline code) are left out."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
EXEMPT = ("/admin/", "/api/v1/docs")


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(EXEMPT) and response.get("Content-Type", "").startswith(
            "text/html"
        ):
            response.setdefault("Content-Security-Policy", POLICY)
        return response
