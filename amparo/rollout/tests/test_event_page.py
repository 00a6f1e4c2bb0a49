"""The event page: what each role sees of the attendance counts, and the page shown again
after an attendance entry is refused."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from amparo.partnerships.models import Material, MaterialVersion
from amparo.rollout.attendance_table import shown_table, shown_warnings
from amparo.rollout.models import Attendance
from amparo.rollout.progress import CapacityWarning
from amparo.rollout.tests.conftest import make_event
from amparo.territory.models import Organization

D = date(2025, 3, 10)


def _cells(html: str, part: str) -> list[list[str]]:
    """The number cells of each row of the attendance table's ``part`` (tbody or tfoot)."""
    section = re.search(rf"<{part}>(.*?)</{part}>", html, re.S).group(1)
    return [
        re.findall(r'<td class="num">(.*?)</td>', row)
        for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)
    ]


@pytest.fixture
def event_with_attendance(world, rollout_a, stages):
    event = make_event(rollout_a, stages["capacitacion"], D)
    for name, pastors, leaders, others in [("Iglesia 1", 3, 0, 7), ("Iglesia 2", 10, 6, 2)]:
        church = Organization.objects.create(name=name, kind="church", region=world.region_a)
        Attendance.objects.create(
            event=event, organization=church, pastors=pastors, leaders=leaders, others=others
        )
    return event


def test_a_viewer_sees_small_counts_hidden_and_no_total_that_gives_them_back(
    world, event_with_attendance
) -> None:
    url = reverse("event-detail", args=["PE-LOR", event_with_attendance.pk])
    html = world.client("viewer").get(url).text
    assert _cells(html, "tbody") == [["&lt;5", "0", "7"], ["10", "6", "&lt;5"]]
    assert _cells(html, "tfoot") == [["—", "6", "—"]]
    assert "Las cifras de 1 a 4 se muestran como" in html


def test_a_coordinator_sees_every_count(world, event_with_attendance) -> None:
    url = reverse("event-detail", args=["PE-LOR", event_with_attendance.pk])
    html = world.client("coordinator").get(url).text
    assert _cells(html, "tbody") == [["3", "0", "7"], ["10", "6", "2"]]
    assert _cells(html, "tfoot") == [["13", "6", "9"]]
    assert "Las cifras de 1 a 4 se muestran como" not in html


def test_a_capacity_warning_does_not_give_a_hidden_total_back(world, rollout_a, stages) -> None:
    event = make_event(rollout_a, stages["capacitacion"], D)
    for name, pastors in [("Iglesia 1", 50), ("Iglesia 2", 2)]:
        church = Organization.objects.create(name=name, kind="church", region=world.region_a)
        Attendance.objects.create(event=event, organization=church, pastors=pastors)
    url = reverse("event-detail", args=["PE-LOR", event.pk])
    viewer = world.client("viewer").get(url).text
    assert "Asistieron 52" not in viewer
    assert _cells(viewer, "tfoot")[0][0] == "—"
    assert "Asistieron más pastores de los previstos para esta etapa (como máximo 50)." in viewer
    coordinator = world.client("coordinator").get(url).text
    assert "Asistieron 52 pastores" in coordinator


def test_the_table_rule_without_a_database() -> None:
    assert shown_table([(3, 0, 7), (10, 6, 2)], columns=3, see_small=False).totals == (
        "—",
        6,
        "—",
    )
    assert shown_table([(1, 0, 0)], columns=3, see_small=True).rows == [(1, 0, 0)]
    assert shown_table([], columns=3, see_small=False).totals == (0, 0, 0)
    warning = CapacityWarning("pastors", 50, 52)
    assert shown_warnings([warning], "—")[0].actual is None
    assert shown_warnings([warning], 52)[0].actual == 52


def test_a_refused_attendance_entry_shows_the_whole_page_again(
    world, rollout_a, stages, church_a
) -> None:
    event = make_event(rollout_a, stages["reuniones"], D)
    material = Material.objects.create(
        code="serie", title_es="Serie de capacitación", title_en="Training series", kind="series"
    )
    material.stages.add(stages["reuniones"])
    MaterialVersion.objects.create(
        material=material, language="es", version="1",
        file=SimpleUploadedFile("serie.pdf", b"%PDF-1.4"), original_name="serie.pdf",
        content_type="application/pdf",
    )  # fmt: skip
    client = world.client("coordinator")
    client.post(reverse("event-edit", args=["PE-LOR", event.pk]), {
        "stage": event.stage_id, "status": "done", "starts_on": "2025-03-10",
        "ends_on": "2025-03-11", "city": "Iquitos", "notes": "Con materiales", "version": 1,
    })  # fmt: skip
    response = client.post(
        reverse("attendance-save", args=["PE-LOR", event.pk]),
        {"organization": church_a.pk, "pastors": -1, "leaders": 0, "others": 0},
    )
    assert response.status_code == 422
    assert "Materiales usados" in response.text and "Serie de capacitación" in response.text
    assert "Historial de cambios" in response.text and "Con materiales" in response.text
    assert not event.attendance.exists()
