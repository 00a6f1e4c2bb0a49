"""An event's actions through its page: recording, correcting and removing attendance,
marking it done and cancelling it, with what the person is told each time."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.rollout.models import Attendance, Event
from amparo.rollout.tests.conftest import make_event
from amparo.territory.models import Organization

PAST = date(2025, 3, 10)


@pytest.fixture
def meetings(rollout_a, stages) -> Event:
    return make_event(rollout_a, stages["reuniones"], PAST)


def _attend(client, event, organization, pastors=3, leaders=2, others=10, code="PE-LOR"):
    return client.post(
        reverse("attendance-save", args=[code, event.pk]),
        {"organization": organization.pk, "pastors": pastors, "leaders": leaders,
         "others": others},
        follow=True,
    )  # fmt: skip


# --- attendance --------------------------------------------------------------------------


def test_a_coordinator_records_attendance_and_reads_it_back(world, meetings, church_a) -> None:
    response = _attend(world.client("coordinator"), meetings, church_a)
    assert "Asistencia guardada." in response.text
    row = Attendance.objects.get()
    assert (row.pastors, row.leaders, row.others, row.total) == (3, 2, 10, 15)
    assert '<td class="num">10</td>' in response.text


def test_recording_a_church_again_corrects_its_row(world, meetings, church_a) -> None:
    client = world.client("coordinator")
    _attend(client, meetings, church_a, pastors=3)
    _attend(client, meetings, church_a, pastors=6)
    assert list(Attendance.objects.values_list("pastors", flat=True)) == [6]


def test_a_fraternity_may_attend_but_not_another_kind(world, meetings) -> None:
    fraternity = Organization.objects.create(name="Fraternidad", kind="fraternity",
                                             region=world.region_a)  # fmt: skip
    office = Organization.objects.create(name="DIRCETUR", kind="sector_office",
                                         region=world.region_a)  # fmt: skip
    client = world.client("coordinator")
    assert "Asistencia guardada." in _attend(client, meetings, fraternity).text
    refused = client.post(
        reverse("attendance-save", args=["PE-LOR", meetings.pk]),
        {"organization": office.pk, "pastors": 1, "leaders": 0, "others": 0},
    )
    assert refused.status_code == 422
    assert list(Attendance.objects.values_list("organization__name", flat=True)) == ["Fraternidad"]


def test_a_church_of_another_region_is_not_offered_nor_accepted(world, meetings) -> None:
    elsewhere = Organization.objects.create(name="Iglesia Pucallpa", kind="church",
                                            region=world.region_b)  # fmt: skip
    client = world.client("admin")
    page = client.get(reverse("event-detail", args=["PE-LOR", meetings.pk])).text
    assert "Iglesia Pucallpa" not in page
    response = client.post(
        reverse("attendance-save", args=["PE-LOR", meetings.pk]),
        {"organization": elsewhere.pk, "pastors": 1, "leaders": 0, "others": 0},
    )
    assert response.status_code == 422
    assert not Attendance.objects.exists()


def test_attendance_waits_for_the_event_to_start(world, rollout_a, stages, church_a) -> None:
    future = make_event(rollout_a, stages["reuniones"], timezone.localdate() + timedelta(days=3),
                        status="planned")  # fmt: skip
    response = _attend(world.client("coordinator"), future, church_a)
    assert response.status_code == 422
    assert "La asistencia se puede registrar una vez que el evento haya comenzado." in (
        response.text
    )
    assert not Attendance.objects.exists()


def test_attendance_starts_counting_on_the_first_day(world, rollout_a, stages, church_a) -> None:
    today = make_event(rollout_a, stages["reuniones"], timezone.localdate(), status="planned")
    assert "Asistencia guardada." in _attend(world.client("coordinator"), today, church_a).text


def test_a_cancelled_event_takes_no_attendance_in_english(
    world, rollout_a, stages, church_a, settings
) -> None:
    cancelled = make_event(rollout_a, stages["reuniones"], PAST, status="cancelled")
    client = world.client("coordinator")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _attend(client, cancelled, church_a)
    assert response.status_code == 422
    assert "This event was cancelled." in response.text
    assert not Attendance.objects.exists()


def test_removing_a_row_says_so_and_keeps_the_others(world, meetings, church_a) -> None:
    other = Organization.objects.create(name="Iglesia 2", kind="church", region=world.region_a)
    client = world.client("coordinator")
    _attend(client, meetings, church_a)
    _attend(client, meetings, other)
    row = Attendance.objects.get(organization=church_a)
    response = client.post(
        reverse("attendance-delete", args=["PE-LOR", meetings.pk, row.pk]), follow=True
    )
    assert "Fila de asistencia eliminada." in response.text
    assert list(Attendance.objects.values_list("organization", flat=True)) == [other.pk]


def test_a_row_is_removed_only_through_its_own_event(world, rollout_a, stages, church_a) -> None:
    first = make_event(rollout_a, stages["reuniones"], PAST)
    second = make_event(rollout_a, stages["conferencia"], PAST + timedelta(days=30))
    row = Attendance.objects.create(event=first, organization=church_a, pastors=2)
    url = reverse("attendance-delete", args=["PE-LOR", second.pk, row.pk])
    assert world.client("coordinator").post(url).status_code == 404
    assert Attendance.objects.filter(pk=row.pk).exists()


@pytest.mark.parametrize("role, expected", [("focal", 403), ("viewer", 403), ("outsider", 404)])
def test_only_those_who_change_the_region_remove_a_row(
    world, meetings, church_a, role, expected
) -> None:
    row = Attendance.objects.create(event=meetings, organization=church_a, pastors=2)
    url = reverse("attendance-delete", args=["PE-LOR", meetings.pk, row.pk])
    assert world.client(role).post(url).status_code == expected
    assert world.client(role).get(url).status_code in (expected, 405)
    assert Attendance.objects.filter(pk=row.pk).exists()


# --- done and cancelled ------------------------------------------------------------------


def test_marking_an_event_done_says_so(world, rollout_a, stages) -> None:
    planned = make_event(rollout_a, stages["reuniones"], PAST, status="planned")
    response = world.client("coordinator").post(
        reverse("event-complete", args=["PE-LOR", planned.pk]), follow=True
    )
    assert "Evento marcado como realizado." in response.text
    planned.refresh_from_db()
    assert planned.status == "done"


def test_a_cancelled_event_cannot_be_marked_done(world, rollout_a, stages) -> None:
    cancelled = make_event(rollout_a, stages["reuniones"], PAST, status="cancelled")
    response = world.client("coordinator").post(
        reverse("event-complete", args=["PE-LOR", cancelled.pk]), follow=True
    )
    assert "Un evento cancelado no puede marcarse como realizado." in response.text
    cancelled.refresh_from_db()
    assert cancelled.status == "cancelled"


def test_a_future_event_cannot_be_marked_done(world, rollout_a, stages) -> None:
    future = make_event(rollout_a, stages["reuniones"], timezone.localdate() + timedelta(days=1),
                        status="planned")  # fmt: skip
    version = future.version
    world.client("coordinator").post(reverse("event-complete", args=["PE-LOR", future.pk]))
    future.refresh_from_db()
    assert (future.status, future.version) == ("planned", version)


def test_cancelling_keeps_the_attendance_already_recorded(world, meetings, church_a) -> None:
    Attendance.objects.create(event=meetings, organization=church_a, pastors=7)
    response = world.client("coordinator").post(
        reverse("event-cancel", args=["PE-LOR", meetings.pk]), follow=True
    )
    assert "Evento cancelado." in response.text
    meetings.refresh_from_db()
    assert meetings.status == "cancelled"
    assert Attendance.objects.get().pastors == 7


@pytest.mark.parametrize("action", ["event-complete", "event-cancel"])
def test_actions_need_a_post_and_the_right_to_change(world, rollout_a, stages, action) -> None:
    planned = make_event(rollout_a, stages["reuniones"], PAST, status="planned")
    url = reverse(action, args=["PE-LOR", planned.pk])
    assert world.client("coordinator").get(url).status_code == 405
    assert world.client("viewer").post(url).status_code == 403
    assert world.client("focal").post(url).status_code == 403
    assert (
        world.client("coordinator").post(reverse(action, args=["PE-UCA", planned.pk])).status_code
        == 404
    )
    planned.refresh_from_db()
    assert planned.status == "planned"


def test_a_new_event_starts_in_the_regions_capital_and_the_asked_stage(
    world, rollout_a, stages
) -> None:
    url = reverse("event-create", args=["PE-LOR", rollout_a.pk])
    form = world.client("coordinator").get(url + f"?stage={stages['reuniones'].pk}")
    assert form.context["form"].initial == {"stage": str(stages["reuniones"].pk), "city": "Iquitos"}
    response = world.client("coordinator").post(
        url,
        {"stage": stages["reuniones"].pk, "status": "planned", "starts_on": "2027-03-01",
         "ends_on": "2027-03-02", "city": "Nauta", "venue": "", "notes": ""},
        follow=True,
    )  # fmt: skip
    assert "Evento guardado." in response.text
    assert Event.objects.get().city == "Nauta"
