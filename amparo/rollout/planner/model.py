"""The planner's input and answer: their types, parsing and validation, and JSON forms.

Pure Python; no Django import. ``parse_plan_input`` reads the JSON form that ``amparo plan``
and the API speak into a ``PlanInput`` and refuses anything unplannable with a
``PlanInputError`` naming the problem; ``result_to_json`` writes a ``PlanResult`` in the
form they answer with, and ``result_from_json`` reads it back from a stored run, so every
reader of a plan (the command, the API, the planner page, the reports) holds the same
typed object.

Time is counted in whole calendar days from ``start``. An event occupies the half-open
interval [start, start + days). A blackout ``[first, last]`` names the days on which no
event may be held, both ends included. ``min_gap_days`` runs from the end of each
prerequisite to the start of the stage, in the same region. A team holds one event at a
time; between its consecutive events in regions A then B it needs ``travel_days[A][B]``
(or ``[B][A]`` when only that is given; 0 within a region). Stages listed as ``done`` for
a region are not scheduled there and count as satisfied prerequisites (the region's
``earliest`` already reflects when they ended).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

STATUS_OPTIMAL, STATUS_FEASIBLE, STATUS_INFEASIBLE = "optimal", "feasible", "infeasible"


class PlanInputError(ValueError):
    """The input cannot be planned; the message names the problem."""


@dataclass(frozen=True)
class StageInput:
    code: str
    days: int
    after: tuple[str, ...] = ()
    min_gap_days: int = 0


@dataclass(frozen=True)
class RegionInput:
    code: str
    earliest: date
    blackouts: tuple[tuple[date, date], ...] = ()
    done: tuple[str, ...] = ()


@dataclass(frozen=True)
class TeamInput:
    code: str
    stages: frozenset[str]


@dataclass(frozen=True)
class PlanInput:
    start: date
    regions: tuple[RegionInput, ...]
    stages: tuple[StageInput, ...]
    teams: tuple[TeamInput, ...]
    travel_days: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    time_limit_s: float = 10.0

    def travel(self, a: str, b: str) -> int:
        """Days a team needs between an event in ``a`` and its next event in ``b``."""
        if a == b:
            return 0
        if b in self.travel_days.get(a, {}):
            return self.travel_days[a][b]
        return self.travel_days.get(b, {}).get(a, 0)


@dataclass(frozen=True)
class PlannedEvent:
    region: str
    stage: str
    team: str
    start: date
    end: date  # exclusive: the day after the last day

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)


def finish_of(events: Iterable[PlannedEvent]) -> date | None:
    """The day after the last day of the latest event; None without events."""
    return max((e.end for e in events), default=None)


def finishes(start: date, events: Iterable[PlannedEvent]) -> tuple[int, int]:
    """The finish and the sum of the regions' finishes, in days from ``start``: how two
    schedules compare (the finish first)."""
    ends: dict[str, int] = {}
    for e in events:
        ends[e.region] = max(ends.get(e.region, 0), (e.end - start).days)
    return max(ends.values(), default=0), sum(ends.values())


@dataclass(frozen=True)
class RegionRow:
    """One region's events in a plan, in the plan's order."""

    region: str
    events: tuple[PlannedEvent, ...]

    @property
    def finish(self) -> date | None:
        return finish_of(self.events)


@dataclass(frozen=True)
class PlanResult:
    """A schedule and what is known about it: the planner's answer (``plan_rollout``) or a
    stored run's (``result_from_json``), the one object that the command, the API, the
    planner page and the reports read a plan from.

    ``start`` and ``stage_order`` come from the plan's input; a stored run whose input no
    longer passes validation (saved by an older version) has no stage order."""

    status: str
    finish: date | None
    lower_bound: date | None
    baseline_sequential_finish: date | None
    events: tuple[PlannedEvent, ...]  # by first day, then region and stage
    start: date | None = None
    stage_order: tuple[str, ...] = ()  # prerequisites first
    solve_seconds: float = 0.0
    # Deterministic mode (``work``): the work units the plan was given, and whether the
    # wall-clock safety cap cut a step short (then the same input may plan differently).
    deterministic: bool = False
    work_units: float | None = None
    time_cap_reached: bool = False

    @property
    def optimal(self) -> bool:
        return self.status == STATUS_OPTIMAL

    @property
    def finish_days(self) -> int | None:
        """Days from the plan's start to its finish."""
        if self.finish is None or self.start is None:
            return None
        return (self.finish - self.start).days

    @property
    def gap_days(self) -> int | None:
        """How many days the finish may be later than the best possible."""
        if self.finish is None or self.lower_bound is None:
            return None
        return (self.finish - self.lower_bound).days

    @property
    def gap_percent(self) -> float | None:
        """The gap as a share of the plan's length, to one decimal."""
        if not self.finish_days or self.gap_days is None:
            return None
        return round(100 * self.gap_days / self.finish_days, 1)

    @cached_property
    def region_rows(self) -> tuple[RegionRow, ...]:
        """The events by region, regions in the order of their first event."""
        by_region: dict[str, list[PlannedEvent]] = {}
        for event in self.events:
            by_region.setdefault(event.region, []).append(event)
        rows = [RegionRow(code, tuple(events)) for code, events in by_region.items()]
        return tuple(sorted(rows, key=lambda row: min(e.start for e in row.events)))

    def region_finish(self, code: str) -> date | None:
        """The plan's finish in one region (the day after its last event there)."""
        return finish_of(e for e in self.events if e.region == code)


# --- parsing and validation --------------------------------------------------------------


def parse_plan_input(raw: Mapping[str, Any]) -> PlanInput:
    """Build and validate a ``PlanInput`` from the JSON form; raises ``PlanInputError``
    naming the bad part for any input it cannot use, whatever its shape."""
    if not isinstance(raw, Mapping):
        raise PlanInputError("the input must be a JSON object")
    for key in ("start", "regions", "stages", "teams"):
        if key not in raw:
            raise PlanInputError(f"missing {key!r}")
    start = _date(raw["start"], "start")
    # Stages, then regions, teams and travel: of several problems, the first met is named.
    stages = tuple(_stage(s) for s in _objects(raw["stages"], "stages"))
    regions = tuple(_region(r, start) for r in _objects(raw["regions"], "regions"))
    teams = tuple(_team(t) for t in _objects(raw["teams"], "teams"))
    travel = _travel(raw.get("travel_days", {}) or {})
    plan = PlanInput(
        start, regions, stages, teams, travel, _time_limit(raw.get("time_limit_s", 10))
    )
    validate(plan)
    return plan


def plan_from_json_text(text: str) -> PlanInput:
    """Parse the planner's JSON text; raises ``PlanInputError`` for text that is not JSON
    and for input ``parse_plan_input`` refuses."""
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as error:
        raise PlanInputError(f"not valid JSON: {error.msg} (line {error.lineno})") from None
    return parse_plan_input(raw)


def _stage(raw: Mapping[str, Any]) -> StageInput:
    where = f"stage {raw.get('code')!r}"
    return StageInput(
        code=str(raw.get("code", "")),
        days=_int(raw.get("days"), f"{where} days", minimum=1),
        after=_codes(raw.get("after", []), f"{where} after"),
        min_gap_days=_int(raw.get("min_gap_days", 0), f"{where} min_gap_days"),
    )


def _region(raw: Mapping[str, Any], start: date) -> RegionInput:
    code = str(raw.get("code", ""))
    raw_blackouts = raw.get("blackouts", [])
    if not isinstance(raw_blackouts, list):
        raise PlanInputError(f"region {code!r}: blackouts must be a list of [first, last]")
    blackouts = []
    for pair in raw_blackouts:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise PlanInputError(f"region {code!r}: a blackout is a pair [first, last]")
        first = _date(pair[0], f"region {code!r} blackout")
        last = _date(pair[1], f"region {code!r} blackout")
        blackouts.append((first, last))
    return RegionInput(
        code=code,
        earliest=_date(raw["earliest"], f"region {code!r} earliest")
        if "earliest" in raw
        else start,
        blackouts=tuple(blackouts),
        done=_codes(raw.get("done", []), f"region {code!r} done"),
    )


def _team(raw: Mapping[str, Any]) -> TeamInput:
    return TeamInput(
        code=str(raw.get("code", "")),
        stages=frozenset(_codes(raw.get("stages", []), f"team {raw.get('code')!r} stages")),
    )


def _travel(raw: Any) -> dict[str, dict[str, int]]:
    if not isinstance(raw, Mapping):
        raise PlanInputError("travel_days must map region codes to {region code: days}")
    travel: dict[str, dict[str, int]] = {}
    for a, row in raw.items():
        if not isinstance(row, Mapping):
            raise PlanInputError(f"travel_days[{a!r}] must map region codes to days")
        travel[str(a)] = {
            str(b): _int(days, f"travel_days[{a!r}][{b!r}]") for b, days in row.items()
        }
    return travel


def _time_limit(raw: Any) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw <= 600:
        raise PlanInputError(f"time_limit_s must be between 0 and 600 seconds, got {raw!r}")
    return float(raw)


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PlanInputError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def _int(value: Any, where: str, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise PlanInputError(f"{where}: expected a whole number >= {minimum}, got {value!r}")
    return value


def _codes(value: Any, where: str) -> tuple[str, ...]:
    """A list of codes (text or numbers, read as text)."""
    if not isinstance(value, list) or not all(
        isinstance(v, str | int) and not isinstance(v, bool) for v in value
    ):
        raise PlanInputError(f"{where}: expected a list of codes, got {value!r}")
    return tuple(str(v) for v in value)


def _objects(value: Any, name: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise PlanInputError(f"{name} must be a list of objects")
    return value


def stage_order(stages: Sequence[StageInput]) -> list[str]:
    """Stage codes in an order where prerequisites come first; raises ``PlanInputError``
    on a cycle (part of validation, so it lives with it)."""
    after = {s.code: set(s.after) for s in stages}
    ordered: list[str] = []
    ready = [s.code for s in stages if not after[s.code]]
    while ready:
        code = ready.pop(0)
        ordered.append(code)
        for other in stages:
            if code in after[other.code]:
                after[other.code].discard(code)
                if not after[other.code] and other.code not in ordered:
                    ready.append(other.code)
    if len(ordered) != len(stages):
        cycle = sorted(code for code, rest in after.items() if rest)
        raise PlanInputError(f"the stages' prerequisites form a cycle: {', '.join(cycle)}")
    return ordered


def validate(plan: PlanInput) -> None:
    """Raise ``PlanInputError`` naming the first problem that makes ``plan`` unplannable."""
    if not plan.regions:
        raise PlanInputError("there are no regions to plan")
    if not plan.stages:
        raise PlanInputError("there are no stages to plan")
    if not plan.teams:
        raise PlanInputError("there are no teams")
    _check_codes(plan)
    known = {s.code for s in plan.stages}
    for stage in plan.stages:
        unknown = [a for a in stage.after if a not in known]
        if unknown:
            raise PlanInputError(f"stage {stage.code!r} comes after unknown stage {unknown[0]!r}")
    stage_order(plan.stages)
    for team in plan.teams:
        unknown = sorted(team.stages - known)
        if unknown:
            raise PlanInputError(f"team {team.code!r} names unknown stage {unknown[0]!r}")
    for region in plan.regions:
        _check_region(plan, region, known)


def _check_codes(plan: PlanInput) -> None:
    for kind, codes in (
        ("stage", [s.code for s in plan.stages]),
        ("region", [r.code for r in plan.regions]),
        ("team", [t.code for t in plan.teams]),
    ):
        if any(not c for c in codes):
            raise PlanInputError(f"every {kind} needs a code")
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise PlanInputError(f"{kind} code repeated: {', '.join(duplicates)}")


def _check_region(plan: PlanInput, region: RegionInput, known: set[str]) -> None:
    if region.earliest < plan.start:
        raise PlanInputError(f"region {region.code!r} starts before the plan's start date")
    for first, last in region.blackouts:
        if last < first:
            raise PlanInputError(
                f"region {region.code!r}: blackout ends ({last}) before it begins ({first})"
            )
    unknown_done = [d for d in region.done if d not in known]
    if unknown_done:
        raise PlanInputError(f"region {region.code!r}: unknown done stage {unknown_done[0]!r}")
    for stage in plan.stages:
        if stage.code not in region.done and not any(stage.code in t.stages for t in plan.teams):
            raise PlanInputError(
                f"no team can deliver stage {stage.code!r}, so region {region.code!r} "
                "cannot be served"
            )


# --- JSON forms --------------------------------------------------------------------------


def plan_to_json(plan: PlanInput) -> dict[str, Any]:
    """The JSON form of ``plan``, as ``parse_plan_input`` reads it."""
    return {
        "start": plan.start.isoformat(),
        "regions": [
            {
                "code": r.code,
                "earliest": r.earliest.isoformat(),
                "blackouts": [[first.isoformat(), last.isoformat()] for first, last in r.blackouts],
                "done": list(r.done),
            }
            for r in plan.regions
        ],
        "stages": [
            {"code": s.code, "days": s.days, "after": list(s.after), "min_gap_days": s.min_gap_days}
            for s in plan.stages
        ],
        "teams": [{"code": t.code, "stages": sorted(t.stages)} for t in plan.teams],
        "travel_days": {a: dict(row) for a, row in plan.travel_days.items()},
        "time_limit_s": plan.time_limit_s,
    }


def events_to_json(events: Iterable[PlannedEvent]) -> list[dict[str, str]]:
    """The events as ``amparo plan --json`` prints them (``end`` is the day after)."""
    return [
        {
            "region": e.region,
            "stage": e.stage,
            "team": e.team,
            "start": e.start.isoformat(),
            "end": e.end.isoformat(),
        }
        for e in events
    ]


def events_from_json(rows: Iterable[Mapping[str, Any]]) -> list[PlannedEvent]:
    """The inverse of ``events_to_json``."""
    return [
        PlannedEvent(
            str(row["region"]),
            str(row["stage"]),
            str(row["team"]),
            date.fromisoformat(row["start"]),
            date.fromisoformat(row["end"]),
        )
        for row in rows
    ]


def result_to_json(result: PlanResult) -> dict[str, Any]:
    """The JSON form of a result, as ``amparo plan --json`` prints it and the API answers
    (a stored run adds ``solve_seconds``). A deterministic plan adds ``deterministic``,
    ``work_units`` and ``time_cap_reached``; the fields before them never change."""
    answer: dict[str, Any] = {
        "status": result.status,
        "finish": _iso(result.finish),
        "lower_bound": _iso(result.lower_bound),
        "baseline_sequential_finish": _iso(result.baseline_sequential_finish),
        "events": events_to_json(result.events),
    }
    if result.deterministic:
        answer["deterministic"] = True
        answer["work_units"] = result.work_units
        answer["time_cap_reached"] = result.time_cap_reached
    return answer


def result_from_json(raw: Mapping[str, Any], plan: Mapping[str, Any] | None = None) -> PlanResult:
    """The result a stored run keeps (``result_to_json``'s form, with ``solve_seconds``),
    with the start and stage order of its input's JSON form ``plan``."""
    order: tuple[str, ...] = ()
    start = None
    if plan:
        start = _optional_date(plan.get("start"))
        try:
            order = tuple(stage_order(parse_plan_input(plan).stages))
        except PlanInputError:
            order = ()  # saved by an older version: the events still read, without an order
    return PlanResult(
        status=str(raw["status"]),
        finish=_optional_date(raw["finish"]),
        lower_bound=_optional_date(raw["lower_bound"]),
        baseline_sequential_finish=_optional_date(raw["baseline_sequential_finish"]),
        events=tuple(events_from_json(raw["events"])),
        start=start,
        stage_order=order,
        solve_seconds=float(raw.get("solve_seconds", 0.0)),
        deterministic=bool(raw.get("deterministic", False)),
        work_units=raw.get("work_units"),
        time_cap_reached=bool(raw.get("time_cap_reached", False)),
    )


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _optional_date(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None
