"""The program page gives a viewer no total of pastors trained from which a small month
can be worked out: the monthly chart shows May's 9, so a total of 12 would give March's 3
back."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from amparo.rollout.models import Attendance, Event
from amparo.territory.models import Organization


@pytest.fixture
def trained(world, rollout_a, stages) -> None:
    for day, pastors in ((date(2026, 3, 10), 3), (date(2026, 5, 10), 9)):
        event = Event.objects.create(
            rollout=rollout_a,
            stage=stages["capacitacion"],
            status="done",
            city="Iquitos",
            starts_on=day,
            ends_on=day,
        )
        church = Organization.objects.create(
            name=f"Iglesia {day}", kind="church", region=world.region_a
        )
        Attendance.objects.create(event=event, organization=church, pastors=pastors)


def _loreto_row(page: str) -> list[str]:
    row = re.search(r"PE-LOR/\">Loreto</a></th>(.*?)</tr>", page, re.S).group(1)
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def test_a_viewer_gets_no_total_over_a_small_month(world, trained) -> None:
    page = world.client("viewer").get(reverse("program")).content.decode()
    # Pastors trained withheld; two churches represented shown as "<5".
    assert _loreto_row(page) == ["—", "&lt;5", "0", "0"]


def test_a_coordinator_gets_the_total(world, trained) -> None:
    page = world.client("coordinator").get(reverse("program")).content.decode()
    assert _loreto_row(page) == ["12", "2", "0", "0"]
