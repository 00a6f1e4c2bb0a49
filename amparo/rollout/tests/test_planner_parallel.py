"""The second search's process (``python -m amparo.rollout.planner.parallel``), without a
database: what it reads and what it answers."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time

from amparo.rollout.planner import (
    events_from_json,
    finish_of,
    parallel,
    plan_to_json,
    search,
    tasks_of,
    violations,
)
from amparo.rollout.tests.planner_cases import START, three_regions_one_team


def _request(seconds: float = 0.5) -> dict:
    return {
        "plan": plan_to_json(three_regions_one_team()),
        "greedy_seconds": 0.05,
        "until": time.time() + seconds,
        "seed": 3,
    }


def test_the_child_answers_a_valid_schedule_for_the_plan_it_reads(monkeypatch) -> None:
    plan = three_regions_one_team()
    answer = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(_request())))
    monkeypatch.setattr(sys, "stdout", answer)
    parallel.main()
    events = events_from_json(json.loads(answer.getvalue())["events"])
    assert violations(plan, events) == []
    assert {(e.region, e.stage) for e in events} == {(r, s.code) for r, s in tasks_of(plan)}


def test_the_search_alone_is_the_local_search_from_greedy_starts() -> None:
    plan = three_regions_one_team()
    events = parallel.search_alone(plan, 0.05, time.time() + 1.0, seed=0)
    assert violations(plan, events) == []
    assert (finish_of(events) - START).days == 18  # the optimum, by exhaustive search


def test_the_module_the_search_starts_is_this_one() -> None:
    assert parallel.__name__ == search.CHILD_MODULE
    done = subprocess.run(  # noqa: S603 - this interpreter, our module, no shell
        [sys.executable, "-W", "error", "-m", search.CHILD_MODULE],
        input=json.dumps(_request()).encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )
    # Started as a program it runs once, without a warning that it was already imported.
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout)["events"]
