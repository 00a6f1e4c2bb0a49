from __future__ import annotations

from datetime import date

import pytest

from amparo.catalog.sync import LoadCount
from amparo.rollout import services
from amparo.rollout.models import Event, Playbook, Rollout, Team
from amparo.territory.models import Organization


@pytest.fixture
def playbook(world) -> Playbook:
    services.playbook_catalog_load(pack="pe", count=LoadCount())
    return Playbook.objects.get(code="iglesias")


@pytest.fixture
def stages(playbook) -> dict:
    return {s.code: s for s in playbook.stages.all()}


@pytest.fixture
def rollout_a(world, playbook) -> Rollout:
    return Rollout.objects.create(region=world.region_a, playbook=playbook)


@pytest.fixture
def rollout_b(world, playbook) -> Rollout:
    return Rollout.objects.create(region=world.region_b, playbook=playbook)


@pytest.fixture
def team(db) -> Team:
    return Team.objects.create(code="A", name="Equipo A")


@pytest.fixture
def church_a(world) -> Organization:
    return Organization.objects.create(name="Iglesia 1", kind="church", region=world.region_a)


def make_event(rollout, stage, start: date, status: str = "done", days: int | None = None):
    from datetime import timedelta

    days = days or stage.typical_days
    return Event.objects.create(
        rollout=rollout,
        stage=stage,
        starts_on=start,
        ends_on=start + timedelta(days=days - 1),
        status=status,
        city="Iquitos",
    )
