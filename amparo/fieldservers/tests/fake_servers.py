"""A small KoboToolbox and a small ODK Central, served on 127.0.0.1 by the tests, with the
endpoints amparo uses (``docs/questionnaires.md``) and the answers their documentation
gives: paging (``limit``/``start`` and ``$top``/``$skip``), the cursor filters, sessions
and tokens, and scripted failures (401, 429 with Retry-After, 5xx, a body that is not
JSON) in front of any request."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Failure:
    path: str  # the request path must contain this
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # names in lower case
    body: bytes


@dataclass
class State:
    """What the fake server holds; tests change it between requests."""

    token: str = "t0k3n"
    account: str = "equipo-loreto"
    email: str = "campo@example.org"
    password: str = "s3creto"
    project: int = 7
    forms: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> {"version": ...}
    submissions: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    refuse_publish: str = ""  # a message to refuse the next publication with
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fail(self, path: str, status: int, times: int = 1, **options: Any) -> None:
        self.failures.extend(Failure(path, status, **options) for _ in range(times))


class _Handler(BaseHTTPRequestHandler):
    state: State
    routes: list[tuple[str, str, Any]]

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _answer(self, status: int, data: Any = None, raw: bytes | None = None, headers=None):
        body = raw if raw is not None else json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        seen = Seen(
            method, parts.path, query, {k.lower(): v for k, v in self.headers.items()}, body
        )
        with self.state.lock:
            self.state.seen.append(seen)
            failure = next((f for f in self.state.failures if f.path in parts.path), None)
            if failure is not None:
                self.state.failures.remove(failure)
        if failure is not None:
            return self._answer(failure.status, raw=failure.body, headers=failure.headers)
        for route_method, pattern, view in self.routes:
            match = re.fullmatch(pattern, parts.path)
            if match and route_method == method:
                return view(self, seen, *match.groups())
        return self._answer(404, {"message": "not found"})

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")


# --- KoboToolbox ---------------------------------------------------------------------------


def _kobo_authorized(handler: _Handler, seen: Seen) -> bool:
    if seen.headers.get("authorization") != f"Token {handler.state.token}":
        handler._answer(401, {"detail": "Invalid token."})
        return False
    return True


def _kobo_me(handler: _Handler, seen: Seen) -> None:
    if _kobo_authorized(handler, seen):
        handler._answer(200, {"username": handler.state.account})


def _kobo_assets(handler: _Handler, seen: Seen) -> None:
    if _kobo_authorized(handler, seen):
        handler._answer(200, {"count": len(handler.state.forms), "results": []})


def _kobo_import(handler: _Handler, seen: Seen) -> None:
    if not _kobo_authorized(handler, seen):
        return
    state = handler.state
    if state.refuse_publish:
        message, state.refuse_publish = state.refuse_publish, ""
        return handler._answer(201, {"uid": "ierror", "status": "processing", "error": message})
    text = seen.body.decode("latin-1")
    destination = re.search(r'name="destination"\r\n\r\n([^\r]+)', text)
    uid = destination.group(1).rstrip("/").rsplit("/", 1)[-1] if destination else ""
    if not uid:
        uid = f"a{len(state.forms) + 1}Kobo"
        state.forms[uid] = {"version": "", "imports": 0}
        state.submissions.setdefault(uid, [])
    state.forms[uid]["imports"] = state.forms[uid].get("imports", 0) + 1
    state.forms[uid]["version_id"] = f"v{state.forms[uid]['imports']}"
    state.forms[uid]["_pending"] = "updated" if destination else "created"
    handler._answer(201, {"uid": f"i{uid}", "status": "processing"})


def _kobo_import_state(handler: _Handler, seen: Seen, import_uid: str) -> None:
    if not _kobo_authorized(handler, seen):
        return
    if import_uid == "ierror":
        return handler._answer(
            200, {"status": "error", "messages": {"error": "Invalid XLSForm: missing survey"}}
        )
    uid = import_uid[1:]
    kind = handler.state.forms[uid]["_pending"]
    handler._answer(
        200, {"status": "complete", "messages": {kind: [{"uid": uid, "kind": "asset"}]}}
    )


def _kobo_asset(handler: _Handler, seen: Seen, uid: str) -> None:
    if _kobo_authorized(handler, seen):
        form = handler.state.forms[uid]
        handler._answer(200, {"uid": uid, "version_id": form["version_id"]})


def _kobo_deploy(handler: _Handler, seen: Seen, uid: str) -> None:
    if _kobo_authorized(handler, seen):
        form = handler.state.forms[uid]
        form["version"] = form["version_id"]
        handler._answer(200, {"version_id": form["version_id"], "active": True})


def _kobo_data(handler: _Handler, seen: Seen, uid: str) -> None:
    if not _kobo_authorized(handler, seen):
        return
    rows = sorted(handler.state.submissions.get(uid, []), key=lambda s: s["_id"])
    if "query" in seen.query:
        clauses = json.loads(seen.query["query"])["$or"]
        since = clauses[0]["_submission_time"]["$gte"]
        rows = [
            s
            for s in rows
            if s["_submission_time"] >= since or (s.get("_last_edited") or "") >= since
        ]
    start, limit = int(seen.query.get("start", 0)), int(seen.query.get("limit", 100))
    page = rows[start : start + limit]
    more = start + limit < len(rows)
    handler._answer(
        200, {"count": len(rows), "next": "next-page" if more else None, "results": page}
    )


KOBO_ROUTES = [
    ("GET", r"/me/", _kobo_me),
    ("GET", r"/api/v2/assets/", _kobo_assets),
    ("POST", r"/api/v2/imports/", _kobo_import),
    ("GET", r"/api/v2/imports/([^/]+)/", _kobo_import_state),
    ("GET", r"/api/v2/assets/([^/]+)/", _kobo_asset),
    ("POST", r"/api/v2/assets/([^/]+)/deployment/", _kobo_deploy),
    ("PATCH", r"/api/v2/assets/([^/]+)/deployment/", _kobo_deploy),
    ("GET", r"/api/v2/assets/([^/]+)/data/", _kobo_data),
]


# --- ODK Central ---------------------------------------------------------------------------


def _odk_authorized(handler: _Handler, seen: Seen) -> bool:
    if seen.headers.get("authorization") != f"Bearer session-{handler.state.token}":
        handler._answer(
            401, {"code": 401.2, "message": "Could not authenticate with the provided credentials."}
        )
        return False
    return True


def _odk_session(handler: _Handler, seen: Seen) -> None:
    given = json.loads(seen.body or b"{}")
    state = handler.state
    if given.get("email") != state.email or given.get("password") != state.password:
        return handler._answer(
            401, {"code": 401.2, "message": "Could not authenticate with the provided credentials."}
        )
    handler._answer(200, {"token": f"session-{state.token}", "expiresAt": "2099-01-01T00:00:00Z"})


def _odk_logout(handler: _Handler, seen: Seen) -> None:
    if _odk_authorized(handler, seen):
        handler._answer(200, {"success": True})


def _odk_me(handler: _Handler, seen: Seen) -> None:
    if _odk_authorized(handler, seen):
        handler._answer(200, {"displayName": handler.state.account, "email": handler.state.email})


def _odk_forms(handler: _Handler, seen: Seen, project: str) -> None:
    if not _odk_authorized(handler, seen):
        return
    state = handler.state
    if seen.method == "GET":
        return handler._answer(200, [{"xmlFormId": k, **v} for k, v in state.forms.items()])
    if state.refuse_publish:
        message, state.refuse_publish = state.refuse_publish, ""
        return handler._answer(400, {"code": 400.15, "message": message})
    form_id = seen.headers.get("x-xlsform-formid-fallback", "")
    if form_id in state.forms:
        return handler._answer(
            409, {"code": 409.3, "message": f"A form already exists with the ID {form_id}."}
        )
    state.forms[form_id] = {"version": "1", "state": "open"}
    state.submissions.setdefault(form_id, [])
    handler._answer(200, {"xmlFormId": form_id, "version": "1", "projectId": int(project)})


def _odk_draft(handler: _Handler, seen: Seen, project: str, form_id: str) -> None:
    if _odk_authorized(handler, seen):
        handler.state.forms[form_id]["draft"] = True
        handler._answer(200, {"success": True})


def _odk_publish(handler: _Handler, seen: Seen, project: str, form_id: str) -> None:
    if _odk_authorized(handler, seen):
        form = handler.state.forms[form_id]
        form["version"] = str(int(form["version"]) + 1)
        handler._answer(200, {"success": True})


def _odk_form(handler: _Handler, seen: Seen, project: str, form_id: str) -> None:
    if _odk_authorized(handler, seen):
        handler._answer(200, {"xmlFormId": form_id, **handler.state.forms[form_id]})


FILTER = re.compile(r"__system/submissionDate ge (\S+) or __system/updatedAt ge (\S+)")


def _odk_submissions(handler: _Handler, seen: Seen, project: str, form_id: str) -> None:
    if not _odk_authorized(handler, seen):
        return
    rows = sorted(
        handler.state.submissions.get(form_id, []), key=lambda s: s["__system"]["submissionDate"]
    )
    if "$filter" in seen.query:
        match = FILTER.fullmatch(seen.query["$filter"])
        if match is None:
            return handler._answer(501, {"code": 501.4, "message": "unsupported filter"})
        since = match.group(1)
        rows = [
            s
            for s in rows
            if s["__system"]["submissionDate"] >= since
            or (s["__system"].get("updatedAt") or "") >= since
        ]
    skip, top = int(seen.query.get("$skip", 0)), int(seen.query.get("$top", 1000))
    handler._answer(
        200,
        {
            "@odata.context": "Submissions",
            "@odata.count": len(rows),
            "value": rows[skip : skip + top],
        },
    )


ODK_ROUTES = [
    ("POST", r"/v1/sessions", _odk_session),
    ("DELETE", r"/v1/sessions/current", _odk_logout),
    ("GET", r"/v1/users/current", _odk_me),
    ("GET", r"/v1/projects/(\d+)/forms", _odk_forms),
    ("POST", r"/v1/projects/(\d+)/forms", _odk_forms),
    ("POST", r"/v1/projects/(\d+)/forms/([^/]+)/draft", _odk_draft),
    ("POST", r"/v1/projects/(\d+)/forms/([^/]+)/draft/publish", _odk_publish),
    ("GET", r"/v1/projects/(\d+)/forms/([^/.]+)", _odk_form),
    ("GET", r"/v1/projects/(\d+)/forms/([^/]+)\.svc/Submissions", _odk_submissions),
]


@dataclass
class Running:
    url: str
    state: State


@contextmanager
def serving(kind: str) -> Iterator[Running]:
    """A fake server of ``kind`` (``kobo`` | ``odk``) on a free port, for the block."""
    state = State()
    handler = type(
        "Handler",
        (_Handler,),
        {"state": state, "routes": KOBO_ROUTES if kind == "kobo" else ODK_ROUTES},
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Running(f"http://127.0.0.1:{server.server_address[1]}", state)
    finally:
        server.shutdown()
        server.server_close()
