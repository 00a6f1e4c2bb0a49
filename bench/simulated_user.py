"""One simulated person for the load test (standard library only): signs in through the
login form with its CSRF token, then walks pages with think time until told to stop.

Redirects are not followed, so every request is timed on its own; a redirect to the
sign-in page counts as an error (the session was lost)."""

from __future__ import annotations

import http.cookiejar
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
LOGIN_PATH = "/accounts/login/"


@dataclass(frozen=True)
class Page:
    name: str  # what the report groups by, e.g. "rollout board"
    path: str


@dataclass
class Sample:
    at: float  # time.monotonic() when the request started
    page: str
    millis: float
    error: str = ""  # empty when the answer was 2xx or an expected 3xx


@dataclass
class Recorder:
    """Samples of every user, appended from their threads."""

    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None  # urllib then raises HTTPError with the 3xx status, which we time


class SimulatedUser:
    def __init__(
        self,
        *,
        base_url: str,
        username: str,
        password: str,
        pages: list[Page],
        think: tuple[float, float],
        recorder: Recorder,
        stop: threading.Event,
        seed: int,
    ) -> None:
        self.base_url = base_url
        self.username = username
        self.password = password
        self.pages = pages
        self.think = think
        self.recorder = recorder
        self.stop = stop
        self.rng = random.Random(seed)
        self.signed_in = threading.Event()  # set once the sign-in was answered, either way
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
        )

    def _request(
        self, page: Page, body: dict[str, str] | None = None, *, expect_redirect: bool = False
    ) -> bytes:
        """One timed request; returns the body (empty on errors)."""
        data = urllib.parse.urlencode(body).encode() if body is not None else None
        url = self.base_url + page.path  # always http://127.0.0.1
        request = urllib.request.Request(url, data=data)  # noqa: S310
        began = time.monotonic()
        error, content = "", b""
        try:
            with self.opener.open(request, timeout=30) as response:
                content = response.read()
            if expect_redirect:  # a sign-in form shown again means the password was refused
                error = "sign-in refused"
        except urllib.error.HTTPError as answer:
            answer.read()
            location = answer.headers.get("Location", "")
            if not 300 <= answer.code < 400:
                error = f"HTTP {answer.code}"
            elif LOGIN_PATH in location and page.path != LOGIN_PATH:
                error = "redirected to sign-in"
            answer.close()
        except Exception as failure:  # refused, reset, timed out: all count as errors
            error = type(failure).__name__
        self.recorder.add(Sample(began, page.name, (time.monotonic() - began) * 1000, error))
        return content

    def _pause(self) -> None:
        self.stop.wait(self.rng.uniform(*self.think))

    def sign_in(self) -> None:
        form = self._request(Page("sign-in form", LOGIN_PATH))
        token = CSRF_FIELD.search(form)
        fields = {"username": self.username, "password": self.password, "next": "/"}
        if token:
            fields["csrfmiddlewaretoken"] = token.group(1).decode()
        self._pause()
        self._request(Page("sign in", LOGIN_PATH), fields, expect_redirect=True)

    def run(self) -> None:
        """Sign in, then visit the pages in a fresh random order each round until stopped."""
        try:
            self.sign_in()
        finally:
            self.signed_in.set()
        while not self.stop.is_set():
            walk = self.pages[:]
            self.rng.shuffle(walk)
            for page in walk:
                if self.stop.is_set():
                    return
                self._pause()
                if not self.stop.is_set():
                    self._request(page)
