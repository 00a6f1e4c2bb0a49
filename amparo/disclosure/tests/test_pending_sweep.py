"""While a protection is pending, no output fails or shows a count its reader does not
know in full: every page and download of the authorization sweep, the API's reads, the
DHIS2 export and both report files (the reader's own and the donor version), for a viewer
(who knows no region in full) and for donors."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse

from amparo.api.tests.conftest import bearer
from amparo.disclosure.tests.test_release import CODE, victims  # noqa: F401
from amparo.disclosure.tests.test_stored_release import large, queued  # noqa: F401
from amparo.indicators.models import Observation
from amparo.territory.models import Region
from amparo.tests.test_authorization_sweep import SWEEP, A, objects  # noqa: F401

# A count no other figure of the fixtures equals, and its sums with the victims' months
# (January's 30 and February's 4): any of them in an output is a count shown.
SECRET = 48213
PASTORS = 37519  # at an event of region A: an attendance count
GIVEAWAYS = [str(n) for n in (SECRET, SECRET + 30, SECRET + 4, SECRET + 34, PASTORS)]
EXPORTS = [f"?period={p}&format={f}" for p in ("2026", "202603") for f in ("json", "csv")]
API_READS = [
    "/api/v1/observations",
    f"/api/v1/observations?region=PE-LOR&indicator={CODE}",
    "/api/v1/indicators",
    "/api/v1/events",
    "/api/v1/rollouts",
    "/api/v1/regions",
]


@pytest.fixture
def secret(world, victims, objects) -> Observation:  # noqa: F811
    from amparo.rollout.models import Attendance

    Attendance.objects.create(
        event=objects[A]["event"], organization=objects[A]["org"], pastors=PASTORS
    )
    return Observation.objects.create(
        indicator=victims, region=world.region_a, period=date(2026, 3, 1), value=SECRET
    )


def _text(response) -> str:
    body = (
        b"".join(response.streaming_content)
        if hasattr(response, "streaming_content")
        else response.content
    )
    if body.startswith(b"PK"):  # a workbook: its cells
        return _workbook_text(body)
    return body.decode(errors="replace").replace(",", "").replace(".", "")


def _workbook_text(body: bytes) -> str:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(body), read_only=True)
    return " ".join(
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    )


def _shows_secret(text: str) -> bool:
    return any(number in text for number in GIVEAWAYS)


@pytest.mark.usefixtures("secret", "large", "queued")
def test_no_page_or_download_fails_or_shows_a_count_to_a_viewer(world, objects) -> None:  # noqa: F811
    client = world.client("viewer")
    failures = []
    for name, (expected, _regional, method, kwargs) in SWEEP.items():
        if method != "get":
            continue
        url = reverse(name, kwargs=kwargs(objects, A))
        queries = [""] + (EXPORTS if name == "dhis2-export" else [])
        for query in queries:
            response = client.get(url + query)
            # A region's groups are not listed while a count they give away may be hidden.
            want = 404 if name == "group-detail" else expected["viewer"]
            if response.status_code != want:
                failures.append(f"{name}{query}: {response.status_code}")
            elif _shows_secret(_text(response)):
                failures.append(f"{name}{query}: shows the count")
    assert not failures, "\n".join(failures)


@pytest.mark.usefixtures("secret", "large", "queued")
def test_no_api_read_fails_or_shows_a_count_to_a_viewer(world, objects) -> None:  # noqa: F811
    client = bearer(world, "viewer")
    rollout = objects[A]["rollout"].pk
    failures = []
    for path in [*API_READS, f"/api/v1/rollouts/{rollout}"]:
        response = client.get(path)
        if response.status_code != 200:
            failures.append(f"{path}: {response.status_code}")
        elif _shows_secret(response.content.decode()):
            failures.append(f"{path}: shows the count")
    assert not failures, "\n".join(failures)
    coordinator = bearer(world, "coordinator")
    assert str(SECRET) in coordinator.get(API_READS[1]).content.decode()
    assert str(PASTORS) in coordinator.get("/api/v1/events").content.decode()


@pytest.mark.usefixtures("secret", "large", "queued")
@pytest.mark.parametrize("donor", [False, True], ids=["own", "donor"])
def test_the_report_files_are_made_without_a_count(world, objects, donor) -> None:  # noqa: F811
    from amparo.reports.render import summary_pdf, workbook_xlsx

    regions = Region.objects.filter(pk=world.region_a.pk)
    for role in ("viewer", "coordinator"):
        user = world.users[role]
        book = workbook_xlsx(regions, user=user, lang="en", donor=donor)
        text = _workbook_text(book)
        assert "being protected" in text
        assert _shows_secret(text) is (role == "coordinator" and not donor)
        assert summary_pdf(regions, user=user, lang="en", donor=donor, since=None)
