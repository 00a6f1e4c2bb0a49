"""The rollout planner: how fast can the playbook be reproduced in the remaining regions?

Pure Python plus OR-Tools; no Django import. ``plan_rollout`` takes a ``PlanInput`` and
returns a ``PlanResult``; ``parse_plan_input`` / ``result_to_json`` translate the JSON form
that ``amparo plan`` and the API speak, and ``result_from_json`` reads a stored run back.
The modules, each building only on those before it:

- ``model``: the input and result types, parsing, validation and JSON forms;
- ``rules``: the schedule's rules (``violations``), event windows, blackouts, the
  sequential baseline;
- ``greedy``: quick schedules; ``bound``: the travel-aware lower bound;
- ``search``: the local search over the teams' orders, and a second one in a child
  process (``parallel``);
- ``lns``: the large-neighbourhood search, parts of the schedule re-planned with CP-SAT;
- ``solve``: ``plan_rollout``, the steps and the CP-SAT model.
"""

from amparo.rollout.planner.model import (
    STATUS_FEASIBLE,
    STATUS_INFEASIBLE,
    STATUS_OPTIMAL,
    PlanInput,
    PlanInputError,
    PlannedEvent,
    PlanResult,
    RegionInput,
    RegionRow,
    StageInput,
    TeamInput,
    events_from_json,
    events_to_json,
    finish_of,
    parse_plan_input,
    plan_from_json_text,
    plan_to_json,
    result_from_json,
    result_to_json,
    stage_order,
    validate,
)
from amparo.rollout.planner.rules import (
    critical_path_finish,
    earliest_starts,
    first_free_day,
    is_metric,
    latest_starts,
    merged_blackouts,
    sequential_schedule,
    stage_tails,
    tasks_of,
    violations,
)
from amparo.rollout.planner.solve import plan_rollout

__all__ = [
    "STATUS_FEASIBLE",
    "STATUS_INFEASIBLE",
    "STATUS_OPTIMAL",
    "PlanInput",
    "PlanInputError",
    "PlanResult",
    "PlannedEvent",
    "RegionInput",
    "RegionRow",
    "StageInput",
    "TeamInput",
    "critical_path_finish",
    "earliest_starts",
    "events_from_json",
    "events_to_json",
    "finish_of",
    "first_free_day",
    "is_metric",
    "latest_starts",
    "merged_blackouts",
    "parse_plan_input",
    "plan_from_json_text",
    "plan_rollout",
    "plan_to_json",
    "result_from_json",
    "result_to_json",
    "sequential_schedule",
    "stage_order",
    "stage_tails",
    "tasks_of",
    "validate",
    "violations",
]
