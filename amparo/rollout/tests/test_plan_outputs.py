"""The Gantt chart and the delay simulation, without a database."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.rollout.delays import DelayModel, simulate_delays, simulate_finish
from amparo.rollout.gantt import PALETTE, gantt_svg
from amparo.rollout.planner import (
    PlanInput,
    RegionInput,
    StageInput,
    TeamInput,
    plan_rollout,
)

START = date(2027, 1, 4)
PLAN = PlanInput(
    START,
    (RegionInput("A", START, ((date(2027, 2, 1), date(2027, 2, 10)),)), RegionInput("B", START)),
    (StageInput("m", 2), StageInput("c", 3, ("m",), 7)),
    (TeamInput("x", frozenset({"m", "c"})),),
    {"A": {"B": 2}},
)


@pytest.fixture(scope="module")
def result():
    return plan_rollout(PLAN)


def test_without_delays_the_simulation_finishes_on_the_planned_day(result) -> None:
    assert simulate_finish(PLAN, result.events, [0] * len(result.events)) == result.finish
    outcome = simulate_delays(PLAN, result.events, DelayModel(0, 0, 0, runs=10))
    assert outcome.p50 == outcome.p90 == result.finish


def test_a_late_event_pushes_the_team_and_the_region(result) -> None:
    first = min(range(len(result.events)), key=lambda i: result.events[i].start)
    delays = [0] * len(result.events)
    delays[first] = 5
    assert simulate_finish(PLAN, result.events, delays) > result.finish


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 5), st.integers(0, 5), st.integers(0, 10), st.integers(0, 1000))
def test_delays_never_make_a_plan_finish_earlier(a, b, c, seed) -> None:
    low, mode, high = sorted((a, b, c))
    result = plan_rollout(PLAN)
    outcome = simulate_delays(PLAN, result.events, DelayModel(low, mode, high, runs=30, seed=seed))
    assert result.finish <= outcome.p50 <= outcome.p90 <= max(outcome.finishes)


def test_the_simulation_is_repeatable_for_a_seed(result) -> None:
    model = DelayModel(0, 2, 9, runs=50, seed=7)
    assert simulate_delays(PLAN, result.events, model) == simulate_delays(
        PLAN, result.events, model
    )


def test_a_delay_model_refuses_impossible_values() -> None:
    with pytest.raises(ValueError, match="minimum <= most likely"):
        DelayModel(3, 1, 5)


def test_the_gantt_chart_is_valid_svg_with_a_bar_per_event(result) -> None:
    svg = gantt_svg(
        result,
        stage_labels={"m": "Reunión <1>", "c": "Conferencia"},
        region_labels={"A": "Loreto", "B": "Ucayali"},
        title="Plan & more",
    )
    root = ET.fromstring(svg)  # noqa: S314 - our own output; escaping keeps it well-formed
    ns = "{http://www.w3.org/2000/svg}"
    bars = [r for r in root.iter(f"{ns}rect") if r.find(f"{ns}title") is not None]
    assert len(bars) == len(result.events)
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "Loreto" in texts and "Ucayali" in texts and "Reunión <1>" in texts
    assert min(e.start for e in result.events).isoformat() in texts


def test_the_gantt_chart_has_a_row_per_region_and_a_colour_per_stage(result) -> None:
    svg = gantt_svg(result, stage_labels={}, region_labels={}, title="Plan")
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    ns = "{http://www.w3.org/2000/svg}"
    labels = [t.text for t in root.iter(f"{ns}text") if t.get("x") == "4"]
    assert labels == [row.region for row in result.region_rows]
    bars = {r.find(f"{ns}title").text.split(" · ")[1]: r.get("fill")
            for r in root.iter(f"{ns}rect") if r.find(f"{ns}title") is not None}  # fmt: skip
    # The legend follows the plan's stage order (prerequisites first), one colour each.
    assert result.stage_order == ("m", "c")
    assert bars == {"m": PALETTE[0], "c": PALETTE[1]}


def test_an_empty_plan_draws_nothing(result) -> None:
    assert gantt_svg(replace(result, events=()), stage_labels={}, region_labels={}, title="x") == ""
