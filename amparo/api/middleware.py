"""Under ``/api/v1/``: answers in the language the client asks for, and every error in the
API's one shape, even those Django or django-ninja give before an endpoint runs (an unknown
path, a method the path lacks)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext as _

from amparo.api.errors import ERROR_NAMES

PREFIX = "/api/v1/"


def error_detail(status: int, allowed: str = "") -> str | None:
    """What a person reads about an error that no endpoint described."""
    if status == 404:
        return _("There is nothing at this address of the API.")
    if status == 405:
        return _("This address answers only %(methods)s.") % {"methods": allowed}
    return None


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class ApiLanguageMiddleware:
    """The pages stay Spanish unless the person chose a language (shared devices); a
    partner's system says what it reads with ``Accept-Language``, so the API follows it
    (a language chosen on the site, sent with a session, still comes first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(PREFIX):
            language = translation.get_language_from_request(request)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class ApiErrorShapeMiddleware:
    """Turns an error that is not yet JSON (Django's HTML 404, ninja's plain-text 405, a
    server error page) into ``{"error": ..., "detail": ...}`` with the same status code."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(PREFIX) or response.status_code < 400:
            return response
        if _is_json(response):
            return response
        status = response.status_code
        allowed = response.get("Allow", "")
        shaped = JsonResponse(
            {
                "error": ERROR_NAMES.get(status, "server_error" if status >= 500 else "error"),
                "detail": error_detail(status, allowed),
            },
            status=status,
            json_dumps_params={"ensure_ascii": False},
        )
        if allowed:
            shaped["Allow"] = allowed
        return shaped
