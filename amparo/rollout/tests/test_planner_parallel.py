"""The second local search in another process, and the JSON it speaks, without a database."""

from __future__ import annotations

import sys
import time
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings

from amparo.rollout import planner_parallel
from amparo.rollout.planner import (
    events_from_json,
    events_to_json,
    parse_plan_input,
    plan_rollout,
    plan_to_json,
    tasks_of,
    violations,
)
from amparo.rollout.planner_parallel import second_search
from amparo.rollout.tests.test_planner import EXAMPLE, plans
from amparo.rollout.tests.test_planner_search import three_regions_one_team


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_a_plan_survives_its_json_form(plan) -> None:
    assert parse_plan_input(plan_to_json(plan)) == plan


def test_done_stages_and_the_time_limit_survive_the_json_form() -> None:
    raw = {**EXAMPLE, "time_limit_s": 2.5}
    raw["regions"] = [{**EXAMPLE["regions"][0], "done": ["meeting"]}]
    plan = parse_plan_input(raw)
    assert parse_plan_input(plan_to_json(plan)) == plan


def test_events_survive_their_json_form() -> None:
    events = list(plan_rollout(parse_plan_input(EXAMPLE)).events)
    assert events_from_json(events_to_json(events)) == events


@pytest.fixture
def every_plan_is_large(monkeypatch):
    monkeypatch.setattr(planner_parallel, "SECOND_SEARCH_FROM_EVENTS", 0)
    monkeypatch.setattr(planner_parallel.os, "cpu_count", lambda: 2)


def test_the_second_search_returns_a_schedule_that_keeps_every_rule(every_plan_is_large) -> None:
    plan = three_regions_one_team()
    with second_search(plan, 6, 0.1, time.time() + 0.5, seed=1) as second:
        assert second is not None
        events = second.result()
    assert events is not None
    assert violations(plan, events) == []
    assert {(e.region, e.stage) for e in events} == {(r, s.code) for r, s in tasks_of(plan)}


def test_small_plans_and_single_cores_do_without_a_second_search(monkeypatch) -> None:
    plan = three_regions_one_team()
    with second_search(plan, 6, 0.1, time.time() + 0.5, seed=1) as second:
        assert second is None  # 6 events: below the threshold
    monkeypatch.setattr(planner_parallel.os, "cpu_count", lambda: 1)
    with second_search(plan, 1000, 0.1, time.time() + 0.5, seed=1) as second:
        assert second is None


def test_a_failing_second_search_costs_nothing_but_itself(every_plan_is_large, monkeypatch) -> None:
    plan = replace(three_regions_one_team(), time_limit_s=1.0)
    monkeypatch.setattr(sys, "executable", "/bin/false")  # starts, answers nothing, fails
    with second_search(plan, 6, 0.1, time.time() + 0.5, seed=1) as second:
        assert second is not None
        assert second.result() is None
    result = plan_rollout(plan)
    assert violations(plan, result.events) == []
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")  # cannot even start
    with second_search(plan, 6, 0.1, time.time() + 0.5, seed=1) as second:
        assert second is None
    assert violations(plan, plan_rollout(plan).events) == []


def test_a_second_search_that_overruns_is_stopped(
    every_plan_is_large, monkeypatch, tmp_path
) -> None:
    slow = tmp_path / "slow-python"
    slow.write_text("#!/bin/sh\nsleep 60\n")
    slow.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(slow))
    monkeypatch.setattr(planner_parallel, "GRACE_SECONDS", 0.2)
    plan = three_regions_one_team()
    began = time.perf_counter()
    with second_search(plan, 6, 0.1, time.time(), seed=1) as second:
        assert second is not None
        assert second.result() is None
        assert second.process.poll() is not None  # killed, not left behind
    assert time.perf_counter() - began < 30  # did not wait for the minute
