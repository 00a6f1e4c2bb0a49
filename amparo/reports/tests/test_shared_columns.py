"""Findings and measures are written in the same columns wherever they leave the app: the
page's CSV download, the lists and the workbook (``assessment/columns.py``,
``mitigation/columns.py``)."""

from __future__ import annotations

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from amparo.mitigation.models import Measure
from amparo.reports import render


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _sheet(world, user: str, sheet: str, *, donor: bool) -> list[list[str]]:
    book = load_workbook(
        io.BytesIO(
            render.workbook_xlsx([world.region_a], user=world.users[user], lang="es", donor=donor)
        )
    )
    return [["" if c.value is None else str(c.value) for c in row] for row in book[sheet].rows]


def test_a_rounds_findings_download_as_in_the_workbook(world, loreto) -> None:
    assessment = loreto.assessment
    url = reverse("finding-list", args=["PE-LOR", assessment.pk]) + "?format=csv"
    page = _csv(world.client("coordinator").get(url))
    book = _sheet(world, "coordinator", "Hallazgos", donor=False)
    assert page[0] == [
        "Amenaza",
        "Sector",
        *book[0][4:],
    ]
    assert book[0][:4] == ["Región", "Ronda", "Sector", "Amenaza"]
    # The same findings, the same values; the workbook names the place first.
    by_threat = {row[3]: [row[3], row[2], *row[4:]] for row in book[1:]}
    assert len(page) == 3
    for row in page[1:]:
        assert row == by_threat[row[0]]
    assert {row[-1] for row in page[1:]} == {"EVIDENCIA-TURISMO", "EVIDENCIA-EDUCACION"}


def test_evidence_is_left_out_for_viewers_and_in_the_donor_version(world, loreto) -> None:
    url = reverse("finding-list", args=["PE-LOR", loreto.assessment.pk]) + "?format=csv"
    assert {row[-1] for row in _csv(world.client("viewer").get(url))[1:]} == {""}
    assert {row[-1] for row in _sheet(world, "coordinator", "Hallazgos", donor=True)[1:]} == {""}


def test_measures_download_as_in_my_measures_and_the_workbook(world, loreto) -> None:
    Measure.objects.filter(region=world.region_a).update(owner=world.users["coordinator"])
    client = world.client("coordinator")
    page = _csv(client.get(reverse("measure-list", args=["PE-LOR"]) + "?format=csv"))
    mine = _csv(client.get(reverse("my-measures-csv")))
    book = _sheet(world, "coordinator", "Medidas", donor=False)
    assert page[0] == ["Sector", "Tipo", "Título", "Estado", "Vence", "Hallazgos"]
    assert mine[0] == book[0] == ["Región", *page[0][:-1]]
    assert sorted(row[1:] for row in mine[1:]) == sorted(row[:-1] for row in page[1:])
    assert sorted(mine[1:]) == sorted(book[1:])


def test_every_workbook_sheet_keeps_its_headers_in_english(world, loreto) -> None:
    book = load_workbook(
        io.BytesIO(
            render.workbook_xlsx(
                [world.region_a], user=world.users["admin"], lang="en", donor=False
            )
        )
    )
    headers = {sheet.title: [c.value for c in next(sheet.rows)] for sheet in book.worksheets}
    people = ["Pastors", "Leaders", "Others"]
    assert headers == {
        "Events": ["Region", "Stage", "Status", "Starts on", "Ends on", "City", *people],
        "Attendance": ["Region", "Stage", "Starts on", "City", "Organization", *people],
        "Findings": [
            "Region",
            "Round",
            "Sector",
            "Threat",
            "Likelihood before controls",
            "Impact before controls",
            "Likelihood with current controls",
            "Impact with current controls",
            "Confidence",
            "Evidence",
        ],
        "Measures": ["Region", "Sector", "Kind", "Title", "Status", "Due"],
        "Observations": ["Region", "Indicator", "Period", "Disaggregation", "Value", "Source"],
    }
    event = next(book["Events"].iter_rows(min_row=2, values_only=True))
    assert event[0] == "Loreto" and event[5] == "Iquitos"
