"""A database outage gives a short "try again in a moment" page (503, no stack trace);
every request is one JSON log line with its id, user id, path, status and duration, and
nothing personal."""

from __future__ import annotations

import json
import logging
from unittest import mock

from django.db import DatabaseError, OperationalError
from django.test import Client
from django.urls import reverse

from amparo.ops import errors
from amparo.ops.request_log import JsonFormatter


def _client(world, role="coordinator") -> Client:
    client = world.client(role)
    client.raise_request_exception = False
    return client


def test_a_database_outage_answers_try_again_without_a_stack_trace(world, settings) -> None:
    client = _client(world)
    with mock.patch(
        "amparo.accounts.middleware.SecondFactorMiddleware.__call__",
        side_effect=OperationalError("connection refused: is the server running on 10.0.0.5?"),
    ):
        response = client.get(reverse("home"), headers={"X-Request-ID": "req-12345678"})
    text = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "Vuelva a intentarlo en un momento" in text
    assert "req-12345678" in text  # a reference the operator finds in the log
    assert "Traceback" not in text and "10.0.0.5" not in text and "OperationalError" not in text


def test_the_outage_page_is_in_english_for_english_readers(world) -> None:
    client = _client(world)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with mock.patch(
        "amparo.accounts.middleware.SecondFactorMiddleware.__call__",
        side_effect=OperationalError("down"),
    ):
        text = client.get(reverse("home")).content.decode()
    assert "Try again in a moment" in text and "Nothing you saved before is lost" in text


def test_other_errors_give_a_plain_500_page(world) -> None:
    client = _client(world)
    with mock.patch(
        "amparo.accounts.middleware.SecondFactorMiddleware.__call__",
        side_effect=ValueError("a bug with secret details"),
    ):
        response = client.get(reverse("home"))
    assert response.status_code == 500
    text = response.content.decode()
    assert "Algo salió mal" in text and "secret details" not in text


def test_what_counts_as_the_database_being_away() -> None:
    assert errors.database_unavailable(OperationalError("x"))
    assert not errors.database_unavailable(DatabaseError("syntax error"))
    assert not errors.database_unavailable(ValueError("x"))
    wrapped = DatabaseError("closed")
    wrapped.__cause__ = type("OperationalError", (Exception,), {})()
    assert errors.database_unavailable(wrapped)


def test_each_request_logs_one_json_line_without_personal_data(world, caplog) -> None:
    client = world.client("coordinator")
    with caplog.at_level(logging.INFO, logger="amparo.request"):
        response = client.get(
            reverse("home") + "?q=maria@example.org", headers={"X-Request-ID": "abc-1234-xyz"}
        )
    assert response["X-Request-ID"] == "abc-1234-xyz"
    [record] = [r for r in caplog.records if r.name == "amparo.request"]
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "request"
    assert line["path"] == reverse("home") and line["status"] == 200
    assert line["method"] == "GET" and line["duration_ms"] >= 0
    assert line["level"] == "INFO" and line["logger"] == "amparo.request"
    text = json.dumps(line)
    assert "maria" not in text and world.users["coordinator"].username not in text


def test_the_request_id_and_user_id_are_on_every_line_of_the_request(world) -> None:
    from amparo.ops import request_log

    id_token = request_log._request_id.set("r-1")
    user_token = request_log._user_id.set(7)
    try:
        record = logging.LogRecord("amparo.x", logging.WARNING, __file__, 1, "m %s", ("a",), None)
        record.fields = {"rows": 3}
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_log._user_id.reset(user_token)
        request_log._request_id.reset(id_token)
    assert line["request_id"] == "r-1" and line["user_id"] == 7
    assert line["message"] == "m a" and line["rows"] == 3


def test_a_request_id_that_does_not_look_like_one_is_replaced(world) -> None:
    response = Client().get("/health/", headers={"X-Request-ID": "bad id\r\nx"})
    assert response["X-Request-ID"] != "bad id\r\nx" and len(response["X-Request-ID"]) == 32


def test_exceptions_are_logged_with_their_type_and_traceback() -> None:
    try:
        raise KeyError("k")
    except KeyError:
        import sys

        record = logging.LogRecord("a", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert line["exception"] == "KeyError" and "Traceback" in line["traceback"]


def test_the_user_id_of_a_signed_in_request_is_logged(world, caplog) -> None:
    from amparo.ops import request_log

    seen = []
    original = request_log.RequestLogMiddleware.__call__

    def spy(self, request):
        response = original(self, request)
        seen.append(request_log._user_id_of(request))
        return response

    with mock.patch.object(request_log.RequestLogMiddleware, "__call__", spy):
        world.client("viewer").get(reverse("home"))
    assert seen == [world.users["viewer"].pk]
