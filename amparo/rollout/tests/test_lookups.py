"""The church track's visible-or-404 lookups (``rollout.queries``), built on access."""

from __future__ import annotations

from datetime import date

import pytest
from django.http import Http404

from amparo.rollout import queries
from amparo.rollout.models import RecoveryGroup
from amparo.rollout.tests.conftest import make_event

SEEING_A = ("admin", "coordinator", "focal", "viewer")


def test_it_finds_a_rollout_by_id_only_for_those_who_see_its_region(
    world, rollout_a, rollout_b
) -> None:
    for role in SEEING_A:
        assert queries.rollout_by_id_or_404(world.users[role], rollout_a.pk) == rollout_a
    with pytest.raises(Http404):
        queries.rollout_by_id_or_404(world.users["outsider"], rollout_a.pk)
    with pytest.raises(Http404):
        queries.rollout_by_id_or_404(world.users["admin"], rollout_b.pk + 1)
    with pytest.raises(Http404):
        queries.rollout_by_id_or_404(world.users["coordinator"], rollout_b.pk)


def test_it_finds_an_event_by_id_as_on_its_pages(world, rollout_a, rollout_b, stages) -> None:
    stage = next(iter(stages.values()))
    event_a = make_event(rollout_a, stage, date(2026, 3, 2))
    event_b = make_event(rollout_b, stage, date(2026, 3, 2))
    for role in SEEING_A:
        assert queries.event_by_id_or_404(world.users[role], event_a.pk) == event_a
        with pytest.raises(Http404):
            queries.event_by_id_or_404(world.users[role], event_b.pk + 1000)
    assert queries.event_by_id_or_404(world.users["admin"], event_b.pk) == event_b
    with pytest.raises(Http404):
        queries.event_by_id_or_404(world.users["viewer"], event_b.pk)


def test_it_keeps_an_event_to_the_region_in_its_address(world, rollout_a, stages) -> None:
    event = make_event(rollout_a, next(iter(stages.values())), date(2026, 3, 2))
    assert queries.event_or_404(world.users["admin"], world.region_a, event.pk) == event
    with pytest.raises(Http404):
        queries.event_or_404(world.users["admin"], world.region_b, event.pk)


def test_it_finds_a_recovery_group_in_its_region_only(world, rollout_a, church_a) -> None:
    group = RecoveryGroup.objects.create(
        rollout=rollout_a, church=church_a, launched_on=date(2026, 4, 1), meeting_day=1
    )
    assert queries.group_or_404(world.users["viewer"], world.region_a, group.pk) == group
    with pytest.raises(Http404):
        queries.group_or_404(world.users["admin"], world.region_b, group.pk)
    with pytest.raises(Http404):
        queries.group_or_404(world.users["outsider"], world.region_a, group.pk)
