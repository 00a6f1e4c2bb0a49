"""The layout of the files on fixed data: how many pages a regional summary fills, and the
workbook's one row per event, planned and cancelled ones included."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from amparo.reports import render
from amparo.rollout import services as rollout_services
from amparo.rollout.models import Event
from amparo.territory.models import Region


def test_the_regional_summary_fills_a_known_number_of_pages(world, loreto) -> None:
    region = Region.objects.filter(pk=world.region_a.pk)
    # The alignment with the national policy (ten entries) takes part of a page.
    for role, pages in (("focal", 3), ("coordinator", 3)):
        pdf = render.summary_pdf(region, user=world.users[role], lang="es", donor=False, since=None)
        assert len(PdfReader(io.BytesIO(pdf)).pages) == pages, role


def test_the_workbook_has_one_row_per_event_with_city_and_totals(world, loreto) -> None:
    rollout_services.attendance_record(
        event=loreto.event, organization=loreto.church, pastors=7, leaders=2, others=1
    )
    stages = list(loreto.rollout.playbook.stages.order_by("order"))
    Event.objects.create(
        rollout=loreto.rollout,
        stage=stages[1],
        starts_on=date(2027, 5, 3),
        ends_on=date(2027, 5, 4),
        status="planned",
        city="Yurimaguas",
    )
    Event.objects.create(
        rollout=loreto.rollout,
        stage=stages[2],
        starts_on=date(2026, 6, 1),
        ends_on=date(2026, 6, 1),
        status="cancelled",
        city="Nauta",
    )
    book = load_workbook(
        io.BytesIO(
            render.workbook_xlsx(
                Region.objects.filter(pk=world.region_a.pk),
                user=world.users["coordinator"],
                lang="en",
                donor=False,
            )
        )
    )
    header = [c.value for c in book["Events"][1]]
    assert header == [
        "Region",
        "Stage",
        "Status",
        "Starts on",
        "Ends on",
        "City",
        "Pastors",
        "Leaders",
        "Others",
    ]
    rows = [[c.value for c in row] for row in book["Events"].iter_rows(min_row=2)]
    assert [(r[5], r[2], r[6], r[7], r[8]) for r in rows] == [
        ("Iquitos", "Done", 7, 2, 1),
        ("Nauta", "Cancelled", 0, 0, 0),
        ("Yurimaguas", "Planned", 0, 0, 0),
    ]
    attendance = [[c.value for c in row] for row in book["Attendance"].iter_rows(min_row=2)]
    assert [(r[3], r[4], r[5]) for r in attendance] == [("Iquitos", "Iglesia Belen", 7)]
