"""The HTTP client on its own, against the fake servers: what is retried and how long it
waits, what is not, what a server's refusal says, and that nothing leaves for another
host."""

from __future__ import annotations

import json

import pytest

from amparo.fieldservers import client
from amparo.fieldservers.client import (
    Http,
    KoboClient,
    OdkClient,
    ServerRefused,
    ServerUnavailable,
    _multipart,
    _retry_after,
    _server_message,
)


@pytest.fixture(autouse=True)
def _no_wait(monkeypatch):
    monkeypatch.setattr(client, "BACKOFF_SECONDS", 1.0)


def kobo_client(server, waits=None) -> KoboClient:
    sleep = waits.append if waits is not None else lambda s: None
    return KoboClient.make(server.url, server.state.token, sleep=sleep)


class TestMessages:
    def test_the_servers_own_message_is_found(self):
        assert _server_message(b'{"code": 409.3, "message": "A form exists."}') == "A form exists."
        assert _server_message(b'{"detail": "Not found."}') == "Not found."
        assert _server_message(b'{"error": "bad"}') == "bad"
        assert _server_message(b"<h1>Bad gateway</h1>") == "<h1>Bad gateway</h1>"
        assert _server_message(b'{"other": 1}') == '{"other": 1}'
        assert len(_server_message(b"x" * 1000)) == 300

    def test_retry_after_in_seconds_or_as_a_date_and_capped(self):
        assert _retry_after("3") == 3.0
        assert _retry_after("100000") == client.MAX_WAIT_SECONDS
        assert _retry_after(None) is None and _retry_after("soon") is None
        assert _retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past

    def test_multipart_carries_the_fields_and_the_file(self):
        body, content_type = _multipart({"library": "false"}, "file", "f.xlsx", b"PK\x03\x04")
        boundary = content_type.split("boundary=")[1]
        assert body.startswith(f"--{boundary}".encode())
        assert b'name="library"\r\n\r\nfalse' in body
        assert b'filename="f.xlsx"' in body and b"PK\x03\x04" in body
        assert body.endswith(f"--{boundary}--\r\n".encode())


class TestOwnHostOnly:
    def test_urls_are_built_on_the_connections_address(self):
        http = Http("https://kobo.example.org/")
        assert http.url("/me/") == "https://kobo.example.org/me/"
        assert http.url("/x", {"a": 1, "b": None}) == "https://kobo.example.org/x?a=1"
        with pytest.raises(ServerRefused):
            http.url("@attacker.example/")

    def test_a_redirect_is_refused_and_not_followed(self, kobo):
        kobo.state.fail("/me/", 301, headers={"Location": "https://elsewhere.example/me/"})
        with pytest.raises(ServerRefused, match=r"elsewhere\.example"):
            kobo_client(kobo).identity()
        assert [s.path for s in kobo.state.seen] == ["/me/"]


class TestRetries:
    def test_network_errors_are_retried_then_reported(self):
        waits = []
        http = Http("http://127.0.0.1:9", sleep=waits.append, timeout=2)  # discard port
        with pytest.raises(ServerUnavailable, match="could not be reached"):
            http.call("GET", "/me/")
        assert waits == [1.0, 2.0, 4.0]  # doubled after each try

    def test_429_waits_as_the_server_asks(self, kobo):
        waits = []
        kobo.state.fail("/me/", 429, headers={"Retry-After": "12"})
        assert kobo_client(kobo, waits).identity().account == "equipo-loreto"
        assert waits == [12.0]

    def test_5xx_then_success(self, kobo):
        waits = []
        kobo.state.fail("/me/", 502, times=2)
        assert kobo_client(kobo, waits).identity().account == "equipo-loreto"
        assert waits == [1.0, 2.0]

    def test_malformed_json_is_retried_and_reported_when_it_persists(self, kobo):
        kobo.state.fail("/me/", 200, body=b"{not json", times=client.ATTEMPTS)
        with pytest.raises(ServerUnavailable, match="not valid JSON"):
            kobo_client(kobo).identity()
        assert len(kobo.state.seen) == client.ATTEMPTS

    @pytest.mark.parametrize("status", [401, 403])
    def test_401_and_403_are_not_retried(self, kobo, status):
        kobo.state.fail("/me/", status, body=b'{"detail": "Invalid token."}')
        with pytest.raises(ServerRefused) as refused:
            kobo_client(kobo).identity()
        assert refused.value.token and refused.value.status == status
        assert len(kobo.state.seen) == 1

    def test_another_refusal_carries_the_servers_message(self, kobo):
        kobo.state.fail("/me/", 400, body=b'{"detail": "Bad query"}')
        with pytest.raises(ServerRefused) as refused:
            kobo_client(kobo).identity()
        assert not refused.value.token and refused.value.message == "Bad query"


class TestPaging:
    def test_kobo_pages_follow_start_until_a_short_page(self, kobo, monkeypatch):
        monkeypatch.setattr(client, "PAGE_SIZE", 2)
        kobo.state.forms["aX"] = {}
        kobo.state.submissions["aX"] = [
            {"_id": n, "_submission_time": f"2027-01-01T00:00:0{n}"} for n in range(1, 6)
        ]
        pages = list(kobo_client(kobo).pages("aX", ""))
        assert [[s["_id"] for s in page] for page in pages] == [[1, 2], [3, 4], [5]]
        sent = [s.query for s in kobo.state.seen]
        assert [q["start"] for q in sent] == ["0", "2", "4"]
        assert json.loads(sent[0]["sort"]) == {"_id": 1}

    def test_kobo_cursor_asks_for_new_or_edited_since(self, kobo):
        kobo.state.forms["aX"] = {}
        kobo.state.submissions["aX"] = [
            {"_id": 1, "_submission_time": "2027-01-01T00:00:00"},
            {"_id": 2, "_submission_time": "2027-01-01T00:00:00", "_last_edited": "2027-01-05"},
            {"_id": 3, "_submission_time": "2027-01-04T00:00:00"},
        ]
        pages = list(kobo_client(kobo).pages("aX", "2027-01-03"))
        assert [s["_id"] for s in pages[0]] == [2, 3]
        query = json.loads(kobo.state.seen[-1].query["query"])
        assert query == {
            "$or": [
                {"_submission_time": {"$gte": "2027-01-03"}},
                {"_last_edited": {"$gte": "2027-01-03"}},
            ]
        }

    def test_an_answer_without_results_is_a_failure(self, kobo):
        kobo.state.fail("/data/", 200, body=b'{"detail": "weird"}')
        with pytest.raises(ServerUnavailable):
            list(kobo_client(kobo).pages("aX", ""))

    def test_odk_signs_in_once_and_pages_with_top_and_skip(self, odk, monkeypatch):
        monkeypatch.setattr(client, "PAGE_SIZE", 2)
        odk.state.forms["f"] = {"version": "1"}
        odk.state.submissions["f"] = [
            {"__id": f"uuid:{n}", "__system": {"submissionDate": f"2027-01-0{n}"}}
            for n in range(1, 5)
        ]
        odk_client = OdkClient.make(odk.url, 7, odk.state.email, odk.state.password)
        pages = list(odk_client.pages("f", ""))
        assert [len(p) for p in pages] == [2, 2, 0][: len(pages)]
        assert [s.path for s in odk.state.seen].count("/v1/sessions") == 1
        subs = [s.query for s in odk.state.seen if "Submissions" in s.path]
        assert [q["$skip"] for q in subs] == ["0", "2", "4"]
        assert subs[0]["$orderby"] == "__system/submissionDate"

    def test_odk_value_missing_is_a_failure(self, odk):
        odk.state.fail("Submissions", 200, body=b"{}")
        odk_client = OdkClient.make(odk.url, 7, odk.state.email, odk.state.password)
        with pytest.raises(ServerUnavailable):
            list(odk_client.pages("f", ""))

    def test_kobo_publication_that_stays_processing_is_reported(self, kobo, monkeypatch):
        kobo_api = kobo_client(kobo)
        kobo_api.polls = 2

        def processing(self, method, path, **kwargs):
            if path.startswith("/api/v2/imports/i"):
                return {"status": "processing"}
            return {"uid": "inew", "status": "processing"}

        monkeypatch.setattr(Http, "call", processing)
        with pytest.raises(ServerUnavailable, match="still converting"):
            kobo_api.publish(content=b"x", filename="f.xlsx", form_id="f", existing="")
