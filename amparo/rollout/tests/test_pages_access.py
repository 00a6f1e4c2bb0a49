"""Every church-track page for every role, on region A's objects and on region B's."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from amparo.rollout.models import RecoveryGroup
from amparo.rollout.tests.conftest import make_event
from amparo.territory.models import Organization

ROLES = ["admin", "coordinator", "focal", "viewer", "outsider"]
READ = {"admin": 200, "coordinator": 200, "focal": 200, "viewer": 200, "outsider": 404}
CHANGE = {"admin": 200, "coordinator": 200, "focal": 403, "viewer": 403, "outsider": 404}
OTHER = {"admin": 200, "coordinator": 404, "focal": 404, "viewer": 404, "outsider": 404}
POST_CHANGE = {"admin": 302, "coordinator": 302, "focal": 403, "viewer": 403, "outsider": 404}
POST_OTHER = {"admin": 302, "coordinator": 404, "focal": 404, "viewer": 404, "outsider": 404}


def _objects(region, rollout, stages):
    church = Organization.objects.create(
        name=f"Iglesia {region.code}", kind="church", region=region
    )
    event = make_event(rollout, stages["reuniones"], date(2025, 1, 6))
    group = RecoveryGroup.objects.create(
        rollout=rollout, church=church, launched_on=date(2025, 1, 6), meeting_day=1
    )
    for n in range(4):  # five groups: a number viewers may see, so they may open one
        RecoveryGroup.objects.create(
            rollout=rollout, church=church, label=f"G{n}", launched_on=date(2025, 1, 6),
            meeting_day=1,
        )  # fmt: skip
    return event, group


def _get_urls(region, rollout, event, group):
    c = region.code
    return {
        "board": (reverse("rollout-board", args=[c, rollout.pk]), "read"),
        "event": (reverse("event-detail", args=[c, event.pk]), "read"),
        "group": (reverse("group-detail", args=[c, group.pk]), "read"),
        "rollout-new": (reverse("rollout-create", args=[c]), "change"),
        "event-new": (reverse("event-create", args=[c, rollout.pk]), "change"),
        "event-edit": (reverse("event-edit", args=[c, event.pk]), "change"),
        "group-new": (reverse("group-create", args=[c, rollout.pk]), "change"),
        "group-edit": (reverse("group-edit", args=[c, group.pk]), "change"),
    }


def _post_urls(region, event):
    c = region.code
    return [
        reverse("event-cancel", args=[c, event.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_its_own_region(world, rollout_a, stages, role) -> None:
    event, group = _objects(world.region_a, rollout_a, stages)
    client = world.client(role)
    for name, (url, kind) in _get_urls(world.region_a, rollout_a, event, group).items():
        expected = READ[role] if kind == "read" else CHANGE[role]
        assert client.get(url).status_code == expected, (name, role)
    for url in _post_urls(world.region_a, event):
        assert client.post(url).status_code == POST_CHANGE[role], (url, role)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_another_region(world, rollout_b, stages, role) -> None:
    event, group = _objects(world.region_b, rollout_b, stages)
    client = world.client(role)
    for name, (url, _kind) in _get_urls(world.region_b, rollout_b, event, group).items():
        assert client.get(url).status_code == OTHER[role], (name, role)
    for url in _post_urls(world.region_b, event):
        assert client.post(url).status_code == POST_OTHER[role], (url, role)


def test_region_b_objects_are_not_reachable_through_region_a(
    world, rollout_a, rollout_b, stages
) -> None:
    event_b, group_b = _objects(world.region_b, rollout_b, stages)
    client = world.client("coordinator")
    a = world.region_a.code
    assert client.get(reverse("rollout-board", args=[a, rollout_b.pk])).status_code == 404
    assert client.get(reverse("event-detail", args=[a, event_b.pk])).status_code == 404
    assert client.get(reverse("group-detail", args=[a, group_b.pk])).status_code == 404
    assert client.post(reverse("event-cancel", args=[a, event_b.pk])).status_code == 404
    event_b.refresh_from_db()
    assert event_b.status == "done"


def test_a_viewer_cannot_record_attendance(world, rollout_a, stages) -> None:
    event, _group = _objects(world.region_a, rollout_a, stages)
    church = Organization.objects.get(name="Iglesia PE-LOR")
    response = world.client("viewer").post(
        reverse("attendance-save", args=["PE-LOR", event.pk]),
        {"organization": church.pk, "pastors": 3, "leaders": 0, "others": 0},
    )
    assert response.status_code == 403
    assert not event.attendance.exists()


def test_program_page_lists_only_visible_regions(world, rollout_a, rollout_b) -> None:
    admin_page = world.client("admin").get(reverse("program")).text
    coordinator_page = world.client("coordinator").get(reverse("program")).text
    assert "Ucayali" in admin_page and "Loreto" in admin_page
    assert "Ucayali" not in coordinator_page and "Loreto" in coordinator_page
    assert world.client("outsider").get(reverse("program")).status_code == 200


def test_viewers_see_small_group_counts_suppressed(world, rollout_a, stages) -> None:
    from amparo.rollout.models import GroupReport

    _event, group = _objects(world.region_a, rollout_a, stages)
    GroupReport.objects.create(group=group, month=date(2025, 2, 1), meetings_held=4,
                               total_attendance=3)  # fmt: skip
    url = reverse("group-detail", args=["PE-LOR", group.pk])
    assert '<td class="num">c</td>' in world.client("viewer").get(url).text  # attendance 3
    assert '<td class="num">3</td>' in world.client("coordinator").get(url).text


def test_viewers_see_small_program_counts_suppressed(world, rollout_a, stages) -> None:
    from amparo.rollout.models import Attendance

    event = make_event(rollout_a, stages["capacitacion"], date(2025, 3, 3))
    church = Organization.objects.create(name="Iglesia sola", kind="church", region=world.region_a)
    Attendance.objects.create(event=event, organization=church, pastors=3)
    viewer = world.client("viewer").get(reverse("program")).content.decode()
    coordinator = world.client("coordinator").get(reverse("program")).content.decode()
    assert '<td class="num">c</td>' in viewer and "oculto para proteger" in viewer
    assert "oculto para proteger" not in coordinator and '<td class="num">3</td>' in coordinator
