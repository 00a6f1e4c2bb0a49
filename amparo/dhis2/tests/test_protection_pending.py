"""While the reader's protection is being worked out (large data, just after a change) the
DHIS2 download leaves out every count the reader does not know in full and its response
says so (``Amparo-Protection: pending``, ``Retry-After``), and the download page shows the
notice; once stored, or for small data, neither."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from amparo.dhis2.tests.test_dhis2_access import named  # noqa: F401
from amparo.disclosure.middleware import PENDING_HEADER
from amparo.disclosure.tests.test_stored_release import NOTICE_ES, large, queued  # noqa: F401

EXPORT = reverse("dhis2-export", args=["PE-LOR"])


def _download(world, role: str, file_format: str = "json"):
    response = world.client(role).get(EXPORT, {"period": "2026", "format": file_format})
    assert response.status_code == 200, role
    return response


def _elements(response) -> set[str]:
    return {v["dataElement"] for v in json.loads(response.content)["dataValues"]}


def _pending(response) -> bool:
    return response.get(PENDING_HEADER) == "pending" and response.get("Retry-After") == "120"


def _no_header(response) -> bool:
    return PENDING_HEADER not in response and "Retry-After" not in response


@pytest.mark.usefixtures("named", "large", "queued")
def test_a_download_says_counts_are_left_out_for_now_until_protected(world) -> None:
    response = _download(world, "viewer")
    assert _pending(response) and _elements(response) == set()
    assert _pending(_download(world, "viewer", "csv"))
    call_command("disclosure_protect", "--quiet", stdout=io.StringIO())
    response = _download(world, "viewer")
    assert _no_header(response)
    assert _elements(response) == {"deTrained01", "deTrainTur1"}  # the 2 stays out


@pytest.mark.usefixtures("named", "large", "queued")
def test_a_coordinator_gets_their_region_and_the_header_meanwhile(world) -> None:
    response = _download(world, "coordinator")
    assert _pending(response)
    assert _elements(response) == {"deTrained01", "deTrainTur1", "deTrainSal1"}


@pytest.mark.usefixtures("named", "large", "queued")
def test_a_program_admin_gets_every_value_and_no_header(world) -> None:
    response = _download(world, "admin")
    assert _no_header(response)
    assert _elements(response) == {"deTrained01", "deTrainTur1", "deTrainSal1"}


@pytest.mark.usefixtures("named")
def test_small_data_gets_no_header(world) -> None:
    assert _no_header(_download(world, "viewer"))
    assert _no_header(_download(world, "viewer", "csv"))


@pytest.mark.usefixtures("named", "large", "queued")
def test_the_download_page_shows_the_notice_until_protected(
    world, django_assert_max_num_queries
) -> None:
    viewer = world.client("viewer")
    with django_assert_max_num_queries(25):
        page = viewer.get(EXPORT)
    assert page.status_code == 200 and NOTICE_ES in page.content.decode()
    call_command("disclosure_protect", "--quiet", stdout=io.StringIO())
    page = viewer.get(EXPORT)
    assert page.status_code == 200 and NOTICE_ES not in page.content.decode()
