"""The API's one error shape, ``{"error": ..., "detail": ...}`` with a real status code:
the names of the errors, the responses operations declare, and the handlers that give
every exception an endpoint lets through that shape. (Errors raised before an endpoint
runs get it from ``middleware.ApiErrorShapeMiddleware``.)"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from amparo.api.schemas import ErrorOut

ERROR_NAMES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_request",
}

# The error answers every operation declares; a change also declares the stale version's.
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
CHANGE_ERRORS = {**ERRORS, 409: ErrorOut}

# An exception's status code, error name and detail.
Shaped = tuple[int, str, object]


def _http_error(exc: HttpError) -> Shaped:
    return exc.status_code, ERROR_NAMES.get(exc.status_code, "error"), str(exc)


SHAPES: dict[type[Exception], Callable[[Exception], Shaped]] = {
    NinjaValidationError: lambda exc: (422, "invalid_request", exc.errors),
    HttpError: _http_error,
    AuthenticationError: lambda exc: (401, "not_authenticated", None),
    PermissionDenied: lambda exc: (403, "forbidden", None),
    Http404: lambda exc: (404, "not_found", None),
    ObjectDoesNotExist: lambda exc: (404, "not_found", None),
    DjangoValidationError: lambda exc: (422, "refused", exc.messages),
    DataError: lambda exc: (422, "invalid_request", _("A value is out of range.")),
    IntegrityError: lambda exc: (409, "conflict", None),
}


def add_error_handlers(api: NinjaAPI) -> None:
    """Answer each exception of ``SHAPES`` (and its subclasses) in the error shape."""

    def handler(shape: Callable[[Exception], Shaped]):
        def answer(request: HttpRequest, exc: Exception) -> HttpResponse:
            status, error, detail = shape(exc)
            return api.create_response(request, {"error": error, "detail": detail}, status=status)

        return answer

    for exception, shape in SHAPES.items():
        api.add_exception_handler(exception, handler(shape))
