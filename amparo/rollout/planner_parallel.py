"""A second local search in another process, so that the planner uses two cores.

The local search (``planner_search``) is pure Python and holds one core. While the
planner proves the lower bound and then searches itself, a child process runs the same
greedy start and local search with another seed; the better schedule wins. The results of
one search vary a lot from run to run, so the better of two is clearly better on large
plans. The child is a fresh interpreter (``python -m amparo.rollout.planner_parallel``)
that reads the plan as JSON on stdin and prints its events as JSON: nothing of a web
server's threads or database connections is copied into it. Whatever goes wrong there
costs quality, never the answer: the planner goes on with its own schedule. No Django.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from amparo.rollout.planner import (
    PlanInput,
    PlannedEvent,
    events_from_json,
    events_to_json,
    parse_plan_input,
    plan_to_json,
    violations,
)
from amparo.rollout.planner_greedy import GreedyInstance
from amparo.rollout.planner_search import RESTART_FROM_EVENTS, search_until

# Smaller plans settle within a second on one core: a second process would only cost.
SECOND_SEARCH_FROM_EVENTS = RESTART_FROM_EVENTS
# How long past its deadline the child may take to answer (start-up, a busy machine).
GRACE_SECONDS = 2.0
# The package's parent folder, where the child starts, so that it imports the same amparo.
_SOURCE_ROOT = str(Path(__file__).resolve().parents[2])


def search_alone(
    plan: PlanInput, greedy_seconds: float, until: float, seed: int
) -> list[PlannedEvent]:
    """Greedy starting schedules and the local search until the wall-clock time ``until``
    (``time.time()``): the planner's first steps, without the bound."""
    return search_until(GreedyInstance.of(plan), until, greedy_seconds=greedy_seconds, seed=seed)


class SecondSearch:
    """A running child search; ``result`` waits for it (at most until its deadline plus
    ``GRACE_SECONDS``) and returns its schedule, or None when it has none to offer."""

    def __init__(self, process: subprocess.Popen[bytes], plan: PlanInput, until: float):
        self.process, self.plan, self.until = process, plan, until

    def result(self) -> list[PlannedEvent] | None:
        wait = max(self.until - time.time(), 0) + GRACE_SECONDS
        try:
            output, _ = self.process.communicate(timeout=wait)
        except subprocess.TimeoutExpired:
            self.stop()
            return None
        if self.process.returncode != 0:
            return None
        try:
            events = events_from_json(json.loads(output)["events"])
        except (ValueError, KeyError, TypeError):
            return None
        # The child is our own code, but a schedule is only offered once it is checked.
        return events if events and not violations(self.plan, events) else None

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:  # not read to the end: a process it started may hold it
            self.process.stdout.close()


@contextmanager
def second_search(
    plan: PlanInput, events: int, greedy_seconds: float, until: float, seed: int
) -> Iterator[SecondSearch | None]:
    """A child search for large plans on machines with more than one core, else None.
    The child is stopped when the block ends, whatever happened in it."""
    if events < SECOND_SEARCH_FROM_EVENTS or (os.cpu_count() or 1) < 2:
        yield None
        return
    request = {
        "plan": plan_to_json(plan),
        "greedy_seconds": greedy_seconds,
        "until": until,
        "seed": seed,
    }
    try:
        # The request goes through a file, not a pipe: nothing to feed while the child runs.
        with tempfile.TemporaryFile() as request_file:
            request_file.write(json.dumps(request).encode())
            request_file.seek(0)
            process = subprocess.Popen(  # noqa: S603 - this interpreter, this module, no shell
                [sys.executable, "-m", __name__],
                stdin=request_file,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                cwd=_SOURCE_ROOT,  # "-m" looks here first: the same amparo as ours
            )
    except OSError:  # no process can be started: one search suffices
        yield None
        return
    search = SecondSearch(process, plan, until)
    try:
        yield search
    finally:
        search.stop()


def main() -> None:
    request = json.load(sys.stdin)
    plan = parse_plan_input(request["plan"])
    events = search_alone(plan, request["greedy_seconds"], request["until"], request["seed"])
    json.dump({"events": events_to_json(events)}, sys.stdout)


if __name__ == "__main__":
    main()
