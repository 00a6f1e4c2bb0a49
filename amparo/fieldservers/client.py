"""Talking to KoboToolbox (API v2) and ODK Central (REST and OData), with the standard
library's HTTP client. Every request goes to the connection's own address: URLs are built
from it and redirects are refused, so a token never reaches another host.

Transient failures (network errors, 429 with its Retry-After, 5xx, a body that is not
JSON) are retried with back-off; 401 and 403 are not (``ServerRefused`` with
``token=True``); any other refusal carries the server's own message. The endpoints used
are listed in ``docs/questionnaires.md``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http.client import HTTPException
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import quote, urlencode, urlsplit
from urllib.request import HTTPRedirectHandler, Request, build_opener

PAGE_SIZE = 1000
ATTEMPTS = 4  # tries of one request before giving up
BACKOFF_SECONDS = 1.0  # doubled after each try
MAX_WAIT_SECONDS = 120.0  # the longest Retry-After honoured
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
logger = logging.getLogger(__name__)


class ServerRefused(Exception):
    """The server said no: ``token`` for 401/403, else its ``message``."""

    def __init__(self, message: str, *, token: bool = False, status: int = 0) -> None:
        super().__init__(message)
        self.message, self.token, self.status = message, token, status


class ServerUnavailable(Exception):
    """The server could not be reached, or kept failing, after every try."""


class _NoRedirects(HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        raise ServerRefused(f"the server redirects to {urlsplit(newurl).netloc or newurl}")


_opener = build_opener(_NoRedirects)


def _server_message(body: bytes) -> str:
    """The reason a server gives in its error body: ODK Central's ``message``,
    KoboToolbox's ``detail`` or ``error``, or the start of the text."""
    try:
        data = json.loads(body)
    except ValueError:
        return body.decode("utf-8", "replace").strip()[:300]
    if isinstance(data, dict):
        for key in ("message", "detail", "error"):
            if data.get(key):
                return str(data[key])[:300]
        return json.dumps(data)[:300]
    return str(data)[:300]


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return min(max(float(value), 0.0), MAX_WAIT_SECONDS)
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return min(max(moment.timestamp() - time.time(), 0.0), MAX_WAIT_SECONDS)


@dataclass
class Http:
    """Requests to one server. ``headers`` gives the authentication headers (asked at each
    request, so that a session can be opened lazily); ``sleep`` is replaced in tests."""

    base_url: str
    headers: Callable[[], dict[str, str]] = dict
    sleep: Callable[[float], None] = time.sleep
    timeout: float = 60.0
    attempts: int = ATTEMPTS

    def url(self, path: str, query: dict[str, object] | None = None) -> str:
        base = self.base_url.rstrip("/")
        url = base + path
        if query:
            url += "?" + urlencode({k: v for k, v in query.items() if v is not None}, safe="$/")
        if urlsplit(url).netloc.lower() != urlsplit(base).netloc.lower():
            raise ServerRefused("refused: the address is not the connection's own")
        return url

    def call(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, object] | None = None,
        body: bytes | None = None,
        content_type: str = "application/json",
        extra: dict[str, str] | None = None,
        authenticated: bool = True,
    ) -> Any:
        """The JSON answer to one request, retried while the failure is transient."""
        url = self.url(path, query)
        wait = BACKOFF_SECONDS
        problem = ""
        for attempt in range(1, self.attempts + 1):
            headers = {"Accept": "application/json", **(extra or {})}
            if body is not None:
                headers["Content-Type"] = content_type
            if authenticated:
                headers.update(self.headers())
            request = Request(url, data=body, method=method, headers=headers)  # noqa: S310
            delay = wait
            try:
                with _opener.open(request, timeout=self.timeout) as response:
                    raw = response.read()
                try:
                    return json.loads(raw) if raw else {}
                except ValueError:
                    problem = "the server's answer is not valid JSON"
            except HTTPError as error:
                content = error.read()
                if error.code in (401, 403):
                    raise ServerRefused(
                        _server_message(content), token=True, status=error.code
                    ) from None
                if error.code == 429:
                    problem = "the server asks to slow down (429)"
                    delay = _retry_after(error.headers.get("Retry-After")) or wait
                elif error.code >= 500:
                    problem = f"the server failed ({error.code})"
                else:
                    raise ServerRefused(_server_message(content), status=error.code) from None
            except (TimeoutError, URLError, HTTPException, ConnectionError, OSError) as error:
                reason = getattr(error, "reason", error)
                if isinstance(reason, ServerRefused):
                    raise reason from None
                problem = f"the server could not be reached ({type(reason).__name__})"
            logger.warning("%s %s: %s (try %s)", method, urlsplit(url).path, problem, attempt)
            if attempt < self.attempts:
                self.sleep(delay)
                wait *= 2
        raise ServerUnavailable(problem)


def _multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
        f'filename="{filename}"\r\nContent-Type: {XLSX}\r\n\r\n'.encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass(frozen=True)
class Identity:
    account: str
    forms: int


@dataclass(frozen=True)
class Published:
    form_id: str
    version: str


@dataclass
class KoboClient:
    """KoboToolbox's API v2, authenticated by an API token."""

    http: Http
    poll_seconds: float = 1.0
    polls: int = 30

    @classmethod
    def make(cls, base_url: str, token: str, **options: Any) -> KoboClient:
        return cls(Http(base_url, lambda: {"Authorization": f"Token {token}"}, **options))

    def close(self) -> None:
        """Nothing to end: a token is not a session."""

    def identity(self) -> Identity:
        me = self.http.call("GET", "/me/")
        assets = self.http.call(
            "GET", "/api/v2/assets/", query={"asset_type": "survey", "limit": 1}
        )
        return Identity(str(me.get("username", "")), int(assets.get("count", 0)))

    def publish(self, *, content: bytes, filename: str, form_id: str, existing: str) -> Published:
        fields = {"library": "false"}
        if existing:
            fields["destination"] = self.http.url(f"/api/v2/assets/{quote(existing)}/")
        body, content_type = _multipart(fields, "file", filename, content)
        started = self.http.call("POST", "/api/v2/imports/", body=body, content_type=content_type)
        uid = self._imported_asset(str(started.get("uid", "")), existing)
        path = f"/api/v2/assets/{quote(uid)}/deployment/"
        if existing:
            asset = self.http.call("GET", f"/api/v2/assets/{quote(uid)}/")
            payload = {"active": True, "version_id": asset.get("version_id")}
            deployed = self.http.call("PATCH", path, body=json.dumps(payload).encode())
        else:
            deployed = self.http.call("POST", path, body=json.dumps({"active": True}).encode())
        version = deployed.get("version_id") or deployed.get("asset", {}).get("version_id", "")
        return Published(uid, str(version or ""))

    def _imported_asset(self, import_uid: str, existing: str) -> str:
        for _ in range(self.polls):
            state = self.http.call("GET", f"/api/v2/imports/{quote(import_uid)}/")
            status = state.get("status")
            if status == "complete":
                messages = state.get("messages") or {}
                for key in ("created", "updated"):
                    for item in messages.get(key) or []:
                        if item.get("uid"):
                            return str(item["uid"])
                return existing
            if status == "error":
                raise ServerRefused(_server_message(json.dumps(state.get("messages") or {})))
            self.http.sleep(self.poll_seconds)
        raise ServerUnavailable("the server is still converting the form")

    def pages(self, form_id: str, cursor: str) -> Iterator[list[dict[str, Any]]]:
        """The submissions sent or edited at or after ``cursor``, a page at a time."""
        query: dict[str, object] = {"format": "json", "limit": PAGE_SIZE, "sort": '{"_id": 1}'}
        if cursor:
            query["query"] = json.dumps(
                {
                    "$or": [
                        {"_submission_time": {"$gte": cursor}},
                        {"_last_edited": {"$gte": cursor}},
                    ]
                }
            )
        start = 0
        while True:
            data = self.http.call(
                "GET", f"/api/v2/assets/{quote(form_id)}/data/", query={**query, "start": start}
            )
            results = data.get("results") if isinstance(data, dict) else None
            if not isinstance(results, list):
                raise ServerUnavailable("the server's answer has no results")
            if results:
                yield results
            if len(results) < PAGE_SIZE or not data.get("next"):
                return
            start += len(results)


@dataclass
class OdkClient:
    """ODK Central's API, signed in with a web user's e-mail and password (a session)."""

    http: Http
    project: int
    _token: str = field(default="", repr=False)

    @classmethod
    def make(
        cls, base_url: str, project: int, email: str, password: str, **options: Any
    ) -> OdkClient:
        client = cls(Http(base_url, **options), project)

        def headers() -> dict[str, str]:
            if not client._token:
                session = client.http.call(
                    "POST",
                    "/v1/sessions",
                    body=json.dumps({"email": email, "password": password}).encode(),
                    authenticated=False,
                )
                client._token = str(session.get("token", ""))
            return {"Authorization": f"Bearer {client._token}"}

        client.http.headers = headers
        return client

    def close(self) -> None:
        """End the session opened for this client, if any (best effort)."""
        if self._token:
            with contextlib.suppress(ServerRefused, ServerUnavailable):
                self.http.call("DELETE", "/v1/sessions/current")
            self._token = ""

    def _forms(self) -> str:
        return f"/v1/projects/{self.project}/forms"

    def identity(self) -> Identity:
        me = self.http.call("GET", "/v1/users/current")
        forms = self.http.call("GET", self._forms())
        return Identity(str(me.get("displayName") or me.get("email", "")), len(forms or []))

    def publish(self, *, content: bytes, filename: str, form_id: str, existing: str) -> Published:
        if existing:
            path = f"{self._forms()}/{quote(existing)}"
            self.http.call("POST", f"{path}/draft", body=content, content_type=XLSX)
            self.http.call("POST", f"{path}/draft/publish", body=b"")
            form = self.http.call("GET", path)
        else:
            form = self.http.call(
                "POST",
                self._forms(),
                query={"publish": "true"},
                body=content,
                content_type=XLSX,
                extra={"X-XlsForm-FormId-Fallback": form_id},
            )
        return Published(str(form.get("xmlFormId", existing)), str(form.get("version", "")))

    def pages(self, form_id: str, cursor: str) -> Iterator[list[dict[str, Any]]]:
        """The submissions sent or edited at or after ``cursor`` (OData), a page at a time."""
        query: dict[str, object] = {"$top": PAGE_SIZE, "$orderby": "__system/submissionDate"}
        if cursor:
            query["$filter"] = (
                f"__system/submissionDate ge {cursor} or __system/updatedAt ge {cursor}"
            )
        skip = 0
        path = f"{self._forms()}/{quote(form_id)}.svc/Submissions"
        while True:
            data = self.http.call("GET", path, query={**query, "$skip": skip})
            values = data.get("value") if isinstance(data, dict) else None
            if not isinstance(values, list):
                raise ServerUnavailable("the server's answer has no value")
            if values:
                yield values
            if len(values) < PAGE_SIZE:
                return
            skip += len(values)
