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
    """A training attended by two fraternities (their number is no protected count, so
    they are listed to every reader; ``test_churches_*`` for churches)."""
    event = make_event(rollout_a, stages["capacitacion"], D)
    for name, pastors, leaders, others in [("Iglesia 1", 3, 0, 7), ("Iglesia 2", 10, 6, 2)]:
        church = Organization.objects.create(name=name, kind="fraternity", region=world.region_a)
        Attendance.objects.create(
            event=event, organization=church, pastors=pastors, leaders=leaders, others=others
        )
    return event


def test_a_viewer_sees_small_counts_hidden_and_no_total_that_gives_them_back(
    world, event_with_attendance
) -> None:
    url = reverse("event-detail", args=["PE-LOR", event_with_attendance.pk])
    html = world.client("viewer").get(url).text
    rows, totals = _cells(html, "tbody"), _cells(html, "tfoot")[0]
    true = [["3", "0", "7"], ["10", "6", "2"]]
    assert rows[0][0] == rows[1][2] == "c"  # the small ones
    for c in range(3):
        column = [row[c] for row in rows]
        assert all(shown in ("c", t[c]) for shown, t in zip(column, true, strict=True))
        if totals[c] != "c":  # a shown total with one hidden cell would give it back
            assert column.count("c") != 1
    assert rows[0][1] == "0" and totals[1] == "6"  # nothing small near the leaders
    assert "oculto para proteger recuentos pequeños" in html


def test_churches_few_at_a_done_training_are_not_listed_to_a_viewer(
    world, rollout_a, stages, django_assert_max_num_queries
) -> None:
    """Two churches: listing them would let a viewer count the region's churches
    represented, a small count; the totals stay, without the number of churches."""
    event = make_event(rollout_a, stages["capacitacion"], D)
    for name in ("Iglesia 1", "Iglesia 2"):
        church = Organization.objects.create(name=name, kind="church", region=world.region_a)
        Attendance.objects.create(event=event, organization=church, pastors=20, leaders=6)
    url = reverse("event-detail", args=["PE-LOR", event.pk])
    viewer = world.client("viewer")
    with django_assert_max_num_queries(40):
        html = viewer.get(url).text
    assert "Iglesia 1" not in html and _cells(html, "tbody") == []
    assert "Las iglesias y fraternidades no se listan" in html
    assert "2 iglesias" not in html and _cells(html, "tfoot") == [["40", "12", "0"]]
    coordinator = world.client("coordinator").get(url).text
    assert "Iglesia 1" in coordinator and "no se listan" not in coordinator


def test_a_coordinator_sees_every_count(world, event_with_attendance) -> None:
    url = reverse("event-detail", args=["PE-LOR", event_with_attendance.pk])
    html = world.client("coordinator").get(url).text
    assert _cells(html, "tbody") == [["3", "0", "7"], ["10", "6", "2"]]
    assert _cells(html, "tfoot") == [["13", "6", "9"]]
    assert "oculto para proteger" not in html


def test_a_capacity_warning_does_not_give_a_hidden_total_back(world, rollout_a, stages) -> None:
    event = make_event(rollout_a, stages["capacitacion"], D)
    for name, pastors in [("Iglesia 1", 50), ("Iglesia 2", 2)]:
        church = Organization.objects.create(name=name, kind="church", region=world.region_a)
        Attendance.objects.create(event=event, organization=church, pastors=pastors)
    url = reverse("event-detail", args=["PE-LOR", event.pk])
    viewer = world.client("viewer").get(url).text
    total = _cells(viewer, "tfoot")[0][0]
    assert total in ("52", "c")
    # The warning gives the number only where the table shows the total.
    assert ("Asistieron 52" in viewer) == (total == "52")
    if total == "c":
        assert "Asistieron más pastores de los previstos para esta etapa" in viewer
    coordinator = world.client("coordinator").get(url).text
    assert "Asistieron 52 pastores" in coordinator


def test_the_table_rule_without_a_database() -> None:
    hidden = {(0, 0), (1, 0), (None, 2)}
    table = shown_table(
        [(3, 0, 7), (10, 6, 2)], columns=3, hidden=lambda row, column: (row, column) in hidden
    )
    assert table.rows == [("c", 0, 7), ("c", 6, 2)]
    assert table.totals == (13, 6, "c")
    assert shown_table([(1, 0, 0)], columns=3).rows == [(1, 0, 0)]
    assert shown_table([], columns=3).totals == (0, 0, 0)
    warning = CapacityWarning("pastors", 50, 52)
    assert shown_warnings([warning], "c")[0].actual is None
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
