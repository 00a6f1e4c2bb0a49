"""Structured logs: every line is one JSON object; each request logs one line with its
request id, the signed-in user's id, method, path, status and duration. Paths only (no
query strings, which may carry what someone typed), no names, e-mails or other personal
data. The request id is sent back as ``X-Request-ID`` and shown on error pages."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse

_request_id: ContextVar[str] = ContextVar("amparo_request_id", default="")
_user_id: ContextVar[int | None] = ContextVar("amparo_user_id", default=None)
# A request id given by a proxy is kept when it looks like one (no room for injection).
_GIVEN_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
logger = logging.getLogger("amparo.request")


def current_request_id() -> str:
    return _request_id.get()


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the request's id and user id
    when inside a request, the fields passed with ``extra={"fields": {...}}``, and the
    exception's type and traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request_id := _request_id.get():
            line["request_id"] = request_id
            line["user_id"] = _user_id.get()
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info:
            line["exception"] = record.exc_info[0].__name__ if record.exc_info[0] else ""
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


def _user_id_of(request: HttpRequest) -> int | None:
    # Only if authentication already ran and loaded the user: never a query of its own,
    # which would fail while the database is away.
    user = request.__dict__.get("_cached_user")
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """Outermost middleware: times the request and logs one line for it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _GIVEN_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        id_token = _request_id.set(request_id)
        user_token = _user_id.set(None)
        started = time.perf_counter()
        response = None
        try:
            response = self.get_response(request)
            return response
        finally:
            _user_id.set(_user_id_of(request))
            status = response.status_code if response is not None else 500
            if response is not None:
                response["X-Request-ID"] = request_id
            logger.info(
                "request",
                extra={
                    "fields": {
                        "method": request.method,
                        "path": request.path[:300],
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    }
                },
            )
            _user_id.reset(user_token)
            _request_id.reset(id_token)
