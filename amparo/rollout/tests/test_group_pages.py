"""Recovery groups through their pages: who records a launched group and its monthly
figures, what is refused (with the reason on the form) and what the page then shows."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.rollout.models import GroupReport, GroupStatus, RecoveryGroup
from amparo.rollout.tests.conftest import make_event
from amparo.territory.models import Organization


def _english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def _months_ago(n: int) -> date:
    month = _this_month()
    for _ in range(n):
        month = (month - timedelta(days=1)).replace(day=1)
    return month


@pytest.fixture
def launch_a(rollout_a, stages):
    return make_event(rollout_a, stages["lanzamiento"], _months_ago(6))


@pytest.fixture
def group_a(rollout_a, church_a, launch_a) -> RecoveryGroup:
    return RecoveryGroup.objects.create(
        rollout=rollout_a,
        church=church_a,
        launch_event=launch_a,
        launched_on=launch_a.starts_on,
        meeting_day=3,
        trained_leaders=2,
    )


def _group_post(church, launch=None, **changes) -> dict:
    data = {
        "church": church.pk,
        "label": "sábados",
        "launch_event": launch.pk if launch else "",
        "launched_on": _months_ago(2).isoformat(),
        "meeting_day": 6,
        "trained_leaders": 3,
        "status": GroupStatus.ACTIVE,
    }
    data.update(changes)
    return data


# --- recording a launched group -----------------------------------------------------------


def test_a_coordinator_records_a_group_and_finds_it_on_the_board(
    world, rollout_a, church_a, launch_a
) -> None:
    client = world.client("coordinator")
    url = reverse("group-create", args=["PE-LOR", rollout_a.pk])
    response = client.post(url, _group_post(church_a, launch_a), follow=True)
    group = RecoveryGroup.objects.get()
    assert response.redirect_chain[-1][0] == reverse("group-detail", args=["PE-LOR", group.pk])
    assert "Grupo de recuperación guardado." in response.text
    assert (group.rollout, group.church, group.launch_event) == (rollout_a, church_a, launch_a)
    assert group.meeting_day == 6 and group.trained_leaders == 3
    board = client.get(reverse("rollout-board", args=["PE-LOR", rollout_a.pk])).text
    assert "Iglesia 1 sábados" in board
    assert "Sábado" in board


def test_the_form_offers_only_churches_of_the_region(world, rollout_a, church_a) -> None:
    Organization.objects.create(name="Fraternidad Loreto", kind="fraternity", region=world.region_a)
    Organization.objects.create(name="Iglesia Pucallpa", kind="church", region=world.region_b)
    page = world.client("coordinator").get(reverse("group-create", args=["PE-LOR", rollout_a.pk]))
    assert page.status_code == 200
    assert "Iglesia 1" in page.text
    assert "Fraternidad Loreto" not in page.text
    assert "Iglesia Pucallpa" not in page.text


def test_a_church_of_another_region_is_a_field_error_and_nothing_is_saved(world, rollout_a) -> None:
    elsewhere = Organization.objects.create(name="Iglesia B", kind="church", region=world.region_b)
    response = world.client("coordinator").post(
        reverse("group-create", args=["PE-LOR", rollout_a.pk]), _group_post(elsewhere)
    )
    assert response.status_code == 422
    assert 'class="field invalid"' in response.text
    assert not RecoveryGroup.objects.exists()


def test_a_launch_event_must_be_a_launch_of_this_rollout(
    world, rollout_a, rollout_b, church_a, stages
) -> None:
    other_launch = make_event(rollout_b, stages["lanzamiento"], _months_ago(3))
    meetings = make_event(rollout_a, stages["reuniones"], _months_ago(8))
    client = world.client("coordinator")
    url = reverse("group-create", args=["PE-LOR", rollout_a.pk])
    for wrong in (other_launch, meetings):
        response = client.post(url, _group_post(church_a, wrong))
        assert response.status_code == 422, wrong
    assert not RecoveryGroup.objects.exists()


def test_a_cancelled_launch_is_not_offered(world, rollout_a, church_a, launch_a, stages) -> None:
    cancelled = make_event(rollout_a, stages["lanzamiento"], _months_ago(1), status="cancelled")
    page = world.client("coordinator").get(reverse("group-create", args=["PE-LOR", rollout_a.pk]))
    select = page.text.split('name="launch_event"')[1].split("</select>")[0]
    assert f'value="{launch_a.pk}"' in select
    assert f'value="{cancelled.pk}"' not in select


def test_required_fields_are_named_in_english_for_an_english_reader(
    world, rollout_a, settings
) -> None:
    client = _english(world.client("coordinator"), settings)
    url = reverse("group-create", args=["PE-LOR", rollout_a.pk])
    response = client.post(url, {"label": "men"})
    assert response.status_code == 422
    assert "This field is required." in response.text
    assert "Record a launched group" in response.text
    assert not RecoveryGroup.objects.exists()


def test_editing_a_group_changes_it_in_place(world, group_a) -> None:
    client = world.client("coordinator")
    url = reverse("group-edit", args=["PE-LOR", group_a.pk])
    data = _group_post(
        group_a.church, group_a.launch_event, status=GroupStatus.PAUSED, label="varones"
    )
    response = client.post(url, data)
    assert response.status_code == 302
    group_a.refresh_from_db()
    assert (group_a.status, group_a.label) == (GroupStatus.PAUSED, "varones")
    assert RecoveryGroup.objects.count() == 1
    assert "En pausa" in client.get(reverse("group-detail", args=["PE-LOR", group_a.pk])).text


@pytest.mark.parametrize("role, expected", [("focal", 403), ("viewer", 403), ("outsider", 404)])
def test_only_those_who_change_the_region_edit_a_group(world, group_a, role, expected) -> None:
    url = reverse("group-edit", args=["PE-LOR", group_a.pk])
    data = _group_post(group_a.church, status=GroupStatus.CLOSED)
    assert world.client(role).post(url, data).status_code == expected
    group_a.refresh_from_db()
    assert group_a.status == GroupStatus.ACTIVE


# --- monthly reports ----------------------------------------------------------------------


def _report(client, group, month: str, meetings="4", attendance="40"):
    return client.post(
        reverse("group-report-save", args=[group.rollout.region.code, group.pk]),
        {"month": month, "meetings_held": meetings, "total_attendance": attendance},
    )


def test_a_month_is_recorded_on_its_first_day_and_shown(world, group_a) -> None:
    month = _months_ago(1)
    client = world.client("coordinator")
    response = _report(client, group_a, f"{month:%Y-%m}")
    assert response.status_code == 302
    report = GroupReport.objects.get()
    assert (report.month, report.meetings_held, report.total_attendance) == (month, 4, 40)
    page = client.get(reverse("group-detail", args=["PE-LOR", group_a.pk])).text
    assert '<td class="num">40</td>' in page


def test_a_second_figure_for_a_month_replaces_the_first(world, group_a) -> None:
    client = world.client("coordinator")
    month = _months_ago(2)
    _report(client, group_a, month.isoformat(), meetings="3", attendance="30")
    _report(client, group_a, month.replace(day=15).isoformat(), meetings="4", attendance="41")
    report = GroupReport.objects.get()
    assert (report.month, report.meetings_held, report.total_attendance) == (month, 4, 41)


def test_the_current_month_is_accepted_and_the_next_is_refused(world, group_a) -> None:
    client = world.client("coordinator")
    assert _report(client, group_a, f"{_this_month():%Y-%m}").status_code == 302
    next_month = (_this_month() + timedelta(days=32)).replace(day=1)
    response = _report(client, group_a, f"{next_month:%Y-%m}")
    assert response.status_code == 422
    assert "Este mes todavía no ha empezado." in response.text
    assert list(GroupReport.objects.values_list("month", flat=True)) == [_this_month()]


def test_a_month_before_the_launch_is_refused_in_english(world, group_a, settings) -> None:
    client = _english(world.client("coordinator"), settings)
    before = (group_a.launched_on.replace(day=1) - timedelta(days=1)).replace(day=1)
    response = _report(client, group_a, f"{before:%Y-%m}")
    assert response.status_code == 422
    assert "The group had not been launched yet." in response.text
    assert not GroupReport.objects.exists()


@pytest.mark.parametrize(
    "meetings, attendance, month",
    [("32", "10", None), ("-1", "10", None), ("4", "-5", None), ("4", "10", "2025-13")],
)
def test_impossible_figures_are_field_errors(world, group_a, meetings, attendance, month) -> None:
    month = month or f"{_months_ago(1):%Y-%m}"
    response = _report(world.client("coordinator"), group_a, month, meetings, attendance)
    assert response.status_code == 422
    assert 'class="field invalid"' in response.text
    assert not GroupReport.objects.exists()


@pytest.mark.parametrize("role, expected", [("focal", 403), ("viewer", 403), ("outsider", 404)])
def test_only_those_who_change_the_region_record_a_month(world, group_a, role, expected) -> None:
    assert _report(world.client(role), group_a, f"{_months_ago(1):%Y-%m}").status_code == expected
    assert not GroupReport.objects.exists()


def test_a_report_cannot_be_sent_to_a_group_through_another_region(
    world, rollout_b, stages
) -> None:
    church_b = Organization.objects.create(name="Iglesia B", kind="church", region=world.region_b)
    group_b = RecoveryGroup.objects.create(
        rollout=rollout_b, church=church_b, launched_on=_months_ago(4), meeting_day=1
    )
    url = reverse("group-report-save", args=["PE-LOR", group_b.pk])
    data = {"month": f"{_months_ago(1):%Y-%m}", "meetings_held": 4, "total_attendance": 9}
    assert world.client("admin").post(url, data).status_code == 404
    assert world.client("coordinator").post(url, data).status_code == 404
    assert not GroupReport.objects.exists()


def test_the_report_form_is_shown_only_to_those_who_may_use_it(world, group_a) -> None:
    url = reverse("group-detail", args=["PE-LOR", group_a.pk])
    save = reverse("group-report-save", args=["PE-LOR", group_a.pk])
    assert save in world.client("coordinator").get(url).text
    page = world.client("focal").get(url)
    assert page.status_code == 200 and save not in page.text
    # A viewer may not even open it: one group in the region is a small count.
    assert world.client("viewer").get(url).status_code == 404


def test_reports_are_read_with_get_only_as_a_page(world, group_a) -> None:
    url = reverse("group-report-save", args=["PE-LOR", group_a.pk])
    assert world.client("coordinator").get(url).status_code == 405


def test_a_viewer_sees_small_leader_and_attendance_counts_hidden(world, group_a) -> None:
    GroupReport.objects.create(
        group=group_a, month=_months_ago(1), meetings_held=4, total_attendance=12
    )
    for n in range(5):  # five groups in all: their number is no small count
        RecoveryGroup.objects.create(
            rollout=group_a.rollout,
            church=group_a.church,
            label=f"G{n}",
            launched_on=group_a.launched_on,
            meeting_day=1,
        )
    url = reverse("group-detail", args=["PE-LOR", group_a.pk])
    viewer = world.client("viewer").get(url).text
    coordinator = world.client("coordinator").get(url).text
    assert "<dd>c</dd>" in viewer and "oculto para proteger" in viewer  # 2 trained leaders
    assert "<dd>2</dd>" in coordinator
    assert '<td class="num">12</td>' in viewer  # 12 is not small


def test_a_viewer_cannot_open_groups_whose_number_is_hidden(world, group_a) -> None:
    url = reverse("group-detail", args=["PE-LOR", group_a.pk])
    assert world.client("viewer").get(url).status_code == 404  # one group: a small count
    assert world.client("coordinator").get(url).status_code == 200


def test_the_group_page_costs_the_same_with_more_reports(
    world, group_a, django_assert_max_num_queries
) -> None:
    client = world.client("coordinator")
    url = reverse("group-detail", args=["PE-LOR", group_a.pk])
    GroupReport.objects.create(group=group_a, month=_months_ago(1), meetings_held=1,
                               total_attendance=8)  # fmt: skip
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    limit = len(few.captured_queries)  # read now: the next request resets the query log
    for n in range(2, 5):
        GroupReport.objects.create(group=group_a, month=_months_ago(n), meetings_held=n,
                                   total_attendance=10 * n)  # fmt: skip
    client.get(url)  # the protection of the new data, worked out once and kept
    with django_assert_max_num_queries(limit):
        page = client.get(url)
    assert page.text.count('<td class="num">') == 8
