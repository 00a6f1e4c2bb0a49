"""The second local search's process: ``python -m amparo.rollout.planner.parallel``.

``search.second_search`` starts it so that the planner uses two cores. It is a fresh
interpreter, so nothing of a web server's threads or database connections is copied into
it. It reads on stdin ``{"plan": <the plan's JSON form>, "greedy_seconds": s, "until":
<wall-clock time.time()>, "seed": n}`` (in deterministic mode also ``"greedy_tries"`` and
``"moves"``: then it counts work and ``until`` is only a safety net), runs the greedy
start and the local search, and prints ``{"events": [...]}`` in the form of
``events_to_json``. No Django.
"""

from __future__ import annotations

import json
import sys

from amparo.rollout.planner.greedy import GreedyInstance
from amparo.rollout.planner.model import PlanInput, PlannedEvent, events_to_json, parse_plan_input
from amparo.rollout.planner.search import search_for_moves, search_until


def search_alone(
    plan: PlanInput, greedy_seconds: float, until: float, seed: int
) -> list[PlannedEvent]:
    """Greedy starting schedules and the local search until the wall-clock time ``until``
    (``time.time()``): the planner's first steps, without the bound."""
    return search_until(GreedyInstance.of(plan), until, greedy_seconds=greedy_seconds, seed=seed)


def main() -> None:
    request = json.load(sys.stdin)
    plan = parse_plan_input(request["plan"])
    if "moves" in request:  # deterministic mode: counted work, the deadline a safety net
        events = search_for_moves(
            GreedyInstance.of(plan),
            request["moves"],
            greedy_tries=request["greedy_tries"],
            seed=request["seed"],
            until=request["until"],
        )
    else:
        events = search_alone(plan, request["greedy_seconds"], request["until"], request["seed"])
    json.dump({"events": events_to_json(events)}, sys.stdout)


if __name__ == "__main__":
    main()
