"""Sends a signed-in person who still owes a second factor to the page where they give it."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from amparo.accounts import second_factor

# Pages reachable before the code: the two-factor pages themselves, signing out and the
# language switch. The API answers for itself: tokens are a credential of their own, and its
# session authentication refuses a session that still owes a code.
OPEN_URL_NAMES = frozenset({second_factor.SETUP, second_factor.VERIFY, "logout", "set_language"})
OPEN_NAMESPACES = frozenset({"api-v1"})


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: object, view_args: object, view_kwargs: object
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is None or match.url_name in OPEN_URL_NAMES:
            return None
        if OPEN_NAMESPACES.intersection(match.namespaces):
            return None
        step = second_factor.step_due(request.user)
        if step is None:
            return None
        target = reverse(step)
        if request.method == "GET":
            target += "?" + urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(target)
