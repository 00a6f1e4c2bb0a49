"""The program page and the status board issue the same number of queries at any size."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse

from amparo.rollout.models import Attendance, RecoveryGroup, Rollout
from amparo.rollout.tests.conftest import make_event
from amparo.territory.models import Organization, Region
from amparo.tests.queries import page_queries


def _grow(rollout, stages, n: int) -> None:
    for i in range(n):
        church = Organization.objects.create(
            name=f"Iglesia {Organization.objects.count()}",
            kind="church",
            region=rollout.region,
        )
        start = date(2025, 1, 6) + timedelta(days=40 * i)
        for code in ("reuniones", "conferencia", "capacitacion"):
            event = make_event(rollout, stages[code], start)
            Attendance.objects.create(event=event, organization=church, pastors=3)
            start += timedelta(days=10)
        RecoveryGroup.objects.create(
            rollout=rollout, church=church, launched_on=start, meeting_day=2
        )


def test_program_page_queries_do_not_grow_with_regions_and_events(world, playbook, stages) -> None:
    client = world.client("admin")
    url = reverse("program")
    _grow(Rollout.objects.create(region=world.region_a, playbook=playbook), stages, 1)
    small = page_queries(client, url)
    _grow(Rollout.objects.create(region=world.region_b, playbook=playbook), stages, 5)
    for n in range(3):
        region = Region.objects.create(code=f"PE-X{n}", name=f"X{n}", capital="c", country="PE")
        _grow(Rollout.objects.create(region=region, playbook=playbook), stages, 3)
    assert page_queries(client, url) == small
    # The map's risk levels (the latest rounds and their findings), and the reader's
    # protection: the data's version, then (new data) the stored one looked for, the table
    # it is worked out from, storing it (and trimming older versions) and its audience.
    assert small <= 28


def test_status_board_queries_do_not_grow_with_events(world, playbook, stages) -> None:
    rollout = Rollout.objects.create(region=world.region_a, playbook=playbook)
    client = world.client("coordinator")
    url = reverse("rollout-board", args=["PE-LOR", rollout.pk])
    _grow(rollout, stages, 1)
    small = page_queries(client, url)
    _grow(rollout, stages, 8)
    assert page_queries(client, url) == small
    # The map's risk levels (the latest rounds and their findings), and the reader's
    # protection: the data's version, then (new data) the stored one looked for, the table
    # it is worked out from, storing it (and trimming older versions) and its audience.
    assert small <= 28


def test_event_page_queries_do_not_grow_with_attendance(world, playbook, stages) -> None:
    rollout = Rollout.objects.create(region=world.region_a, playbook=playbook)
    event = make_event(rollout, stages["capacitacion"], date(2025, 3, 3))
    client = world.client("coordinator")
    url = reverse("event-detail", args=["PE-LOR", event.pk])
    small = page_queries(client, url)
    for i in range(15):
        church = Organization.objects.create(name=f"I{i}", kind="church", region=world.region_a)
        Attendance.objects.create(event=event, organization=church, pastors=2)
    assert page_queries(client, url) == small
