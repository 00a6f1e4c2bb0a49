"""The page shown when a request fails. A database that is restarting or unreachable is a
passing fault: the person gets "try again in a moment" (503 with Retry-After), never a
stack trace; the app reconnects by itself on a later request (``conn_health_checks``)."""

from __future__ import annotations

import sys

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

RETRY_AFTER_SECONDS = 10


def database_unavailable(error: BaseException | None) -> bool:
    """An error that says the database cannot be reached now (not a bug in a query)."""
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    # psycopg's own errors reach here wrapped by Django; a closed connection may also
    # surface as a plain DatabaseError whose cause is an operational one.
    cause = getattr(error, "__cause__", None)
    return (
        isinstance(error, DatabaseError)
        and cause is not None
        and "Operational" in type(cause).__name__
    )


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: drawn without the database (no user, no site settings from it)."""
    from amparo.ops.request_log import current_request_id

    error = sys.exc_info()[1]
    context = {"request_id": current_request_id()}
    if database_unavailable(error):
        response = HttpResponse(render_to_string("ops/unavailable.html", context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(render_to_string("ops/server_error.html", context), status=500)
