"""A response made from a pending release says so in its headers: a script reading the API
or a download sees no page notice, and must tell a count hidden because it is small from
one hidden only until the protection is worked out (``release.Release.waiting``)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from amparo.disclosure.release import request_waiting

PENDING_HEADER = "Amparo-Protection"
RETRY_AFTER_SECONDS = 120  # a protection usually takes a few minutes; ask again then


class ProtectionPendingMiddleware:
    """Adds ``Amparo-Protection: pending`` and ``Retry-After`` to a response whose view
    read counts through a waiting release. A view that read none is not asked to work one
    out: it hid nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request_waiting(request):
            response[PENDING_HEADER] = "pending"
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
