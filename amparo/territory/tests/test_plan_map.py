"""The planner's result on the tile-grid map: order and team per region."""

from __future__ import annotations

from datetime import date, timedelta

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from amparo.rollout.models import PlanRun
from amparo.territory import tilemap

steps = st.lists(
    st.builds(
        tilemap.PlanStep,
        region=st.sampled_from(["PE-LOR", "PE-UCA", "PE-SAM", "PE-AMA", "PE-MDD"]),
        team=st.sampled_from(["A", "B", "C"]),
        start=st.dates(date(2027, 1, 1), date(2028, 12, 31)),
    ),
    max_size=30,
)


@given(steps)
def test_regions_are_numbered_1_to_n_in_the_order_they_start(plan) -> None:
    orders = tilemap.plan_order(plan)
    assert set(orders) == {s.region for s in plan}
    assert sorted(order for order, _teams in orders.values()) == list(range(1, len(orders) + 1))
    first = {r: min(s.start for s in plan if s.region == r) for r in orders}
    for a in orders:
        for b in orders:
            if first[a] < first[b]:
                assert orders[a][0] < orders[b][0]


@given(steps)
def test_each_region_lists_every_team_of_its_events_once(plan) -> None:
    for region, (_order, teams) in tilemap.plan_order(plan).items():
        assert teams == tuple(sorted({s.team for s in plan if s.region == region}))


def test_the_plan_page_draws_the_plan_on_the_map(world, playbook) -> None:
    start = date(2027, 1, 4)
    events = [
        ("PE-UCA", "A", start),
        ("PE-LOR", "B", start + timedelta(days=30)),
        ("PE-LOR", "A", start + timedelta(days=60)),
    ]
    run = PlanRun.objects.create(
        playbook=playbook,
        input={},
        result={
            "status": "feasible",
            "finish": "2027-06-01",
            "lower_bound": "2027-01-04",
            "baseline_sequential_finish": "2027-06-01",
            "events": [
                {
                    "region": code,
                    "stage": "reuniones",
                    "team": team,
                    "start": day.isoformat(),
                    "end": (day + timedelta(days=2)).isoformat(),
                }
                for code, team, day in events
            ],
            "solve_seconds": 1.0,
        },
    )
    page = world.client("admin").get(reverse("plan-run", args=[run.pk])).text
    assert "El plan en el mapa: orden y equipo por región" in page
    assert 'aria-label="Ucayali: número 1, equipo A"' in page
    assert 'aria-label="Loreto: número 2, equipo A, B"' in page
