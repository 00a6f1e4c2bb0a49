"""The demo measures fit the model's rules whatever day the demo is created on."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.mitigation.demo import demo_mitigation_create
from amparo.mitigation.models import Measure
from amparo.mitigation.tests.conftest import add_finding


@pytest.mark.parametrize("today", [date(2025, 6, 1), date(2026, 1, 5), date(2031, 12, 31)])
def test_demo_measures_start_before_they_are_due_on_any_day(
    world, round_a, threats, controls, today
) -> None:
    add_finding(round_a, threats["TUR-01"], inherent=(5, 5))
    add_finding(round_a, threats["TUR-02"], inherent=(5, 4))
    coordinator, admin = world.users["coordinator"], world.users["admin"]
    assert demo_mitigation_create(coordinator=coordinator, admin=admin, today=today) > 0
    measures = list(Measure.objects.filter(is_demo=True))
    for measure in measures:
        measure.full_clean()
        assert measure.starts_on <= today and measure.starts_on <= measure.due_on
    assert any(m.due_on < today for m in measures)  # the demo shows an overdue measure
