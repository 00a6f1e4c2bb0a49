"""The planner's input and result, without a database: clear errors for bad input, the JSON
forms, and the typed result a stored run is read back into."""

from __future__ import annotations

import contextlib
import copy
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.rollout.planner import (
    PlanInputError,
    PlannedEvent,
    PlanResult,
    StageInput,
    events_from_json,
    events_to_json,
    finish_of,
    parse_plan_input,
    plan_from_json_text,
    plan_rollout,
    plan_to_json,
    result_from_json,
    result_to_json,
    stage_order,
)
from amparo.rollout.tests.planner_cases import (
    EXAMPLE,
    START,
    STORED_INPUT,
    STORED_RESULT,
    plans,
)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["stages"][1].update(after=["lunch"]), "unknown stage 'lunch'"),
        (lambda r: r["stages"][0].update(after=["conference"]), "form a cycle"),
        (lambda r: r["teams"][0].update(stages=["meeting"]),
         "no team can deliver stage 'conference'"),
        (lambda r: r["regions"][0].update(blackouts=[["2027-03-15", "2027-02-01"]]),
         "blackout ends (2027-02-01) before it begins (2027-03-15)"),
        (lambda r: r["regions"][0].update(earliest="someday"), "is not a date"),
        (lambda r: r["regions"][0].update(earliest="2027-01-01"), "starts before the plan's"),
        (lambda r: r["regions"][0].update(done=["lunch"]), "unknown done stage 'lunch'"),
        (lambda r: r["teams"][0].update(stages=["meeting", "conference", "lunch"]),
         "team 'A' names unknown stage 'lunch'"),
        (lambda r: r["stages"][0].update(days=0), "expected a whole number >= 1"),
        (lambda r: r.update(time_limit_s=-1), "time_limit_s"),
        (lambda r: r.update(time_limit_s=601), "time_limit_s"),
        (lambda r: r.update(travel_days={"PE-MDD": {"PE-UCA": -2}}), "travel_days['PE-MDD']"),
        (lambda r: r.update(regions=[]), "no regions"),
        (lambda r: r.update(stages=[]), "no stages"),
        (lambda r: r.update(teams=[]), "no teams"),
        (lambda r: r.pop("teams"), "missing 'teams'"),
        (lambda r: r["regions"].append({"code": "PE-MDD"}), "region code repeated: PE-MDD"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_the_problem_named(change, message) -> None:
    raw = copy.deepcopy(EXAMPLE)
    change(raw)
    with pytest.raises(PlanInputError) as refused:
        parse_plan_input(raw)
    assert message in str(refused.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["stages"][0].pop("code"), "every stage needs a code"),
        (lambda r: r["stages"][0].update(after=5), "stage 'meeting' after: expected a list"),
        (lambda r: r["stages"][0].update(after="meeting"), "stage 'meeting' after"),
        (lambda r: r["regions"][0].update(done=5), "region 'PE-MDD' done: expected a list"),
        (lambda r: r["regions"][0].update(blackouts=5), "region 'PE-MDD': blackouts must be"),
        (lambda r: r["regions"][0].update(blackouts=[["2027-02-01"]]), "a blackout is a pair"),
        (lambda r: r["teams"][0].update(stages=5), "team 'A' stages: expected a list"),
        (lambda r: r["teams"][0].update(stages=[["meeting"]]), "team 'A' stages"),
        (lambda r: r.update(stages={"code": "meeting"}), "stages must be a list of objects"),
        (lambda r: r.update(travel_days=[1]), "travel_days must map region codes"),
    ],
)  # fmt: skip
def test_badly_shaped_input_is_refused_with_the_part_named(change, message) -> None:
    raw = copy.deepcopy(EXAMPLE)
    change(raw)
    with pytest.raises(PlanInputError) as refused:
        parse_plan_input(raw)
    assert message in str(refused.value)


def test_of_several_problems_the_stages_are_named_first() -> None:
    raw = copy.deepcopy(EXAMPLE)
    raw["regions"][0]["earliest"] = "someday"
    raw["stages"][0]["days"] = 0
    with pytest.raises(PlanInputError, match="stage 'meeting' days"):
        parse_plan_input(raw)


def test_text_that_is_not_json_is_refused_with_its_line() -> None:
    with pytest.raises(PlanInputError, match=r"not valid JSON: .* \(line 2\)"):
        plan_from_json_text('{"start":\n "2027-01-04",,}')
    text = (
        '{"start": "2027-01-04", "regions": [{"code": "A"}], '
        '"stages": [{"code": "m", "days": 1}], "teams": [{"code": "x", "stages": ["m"]}]}'
    )
    assert plan_from_json_text(text).start == START


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner),
    max_leaves=8,
)


@settings(max_examples=200, deadline=None)
@given(
    stage=st.dictionaries(st.sampled_from(["code", "days", "after", "min_gap_days"]), _JSON),
    region=st.dictionaries(st.sampled_from(["code", "earliest", "blackouts", "done"]), _JSON),
    team=st.dictionaries(st.sampled_from(["code", "stages"]), _JSON),
)
def test_any_shape_of_input_is_planned_or_refused_with_a_plan_input_error(stage, region, team):
    raw = {"start": "2027-01-04", "regions": [region], "stages": [stage], "teams": [team]}
    with contextlib.suppress(PlanInputError):  # anything else fails the test
        parse_plan_input(raw)


def test_stages_are_ordered_prerequisites_first() -> None:
    stages = [StageInput("t", 1, ("c",)), StageInput("c", 1, ("m",)), StageInput("m", 1)]
    assert stage_order(stages) == ["m", "c", "t"]
    with pytest.raises(PlanInputError, match="form a cycle: c, m"):
        stage_order([StageInput("m", 1, ("c",)), StageInput("c", 1, ("m",)), StageInput("x", 1)])


# --- JSON forms --------------------------------------------------------------------------


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


def test_the_json_form_of_a_result_has_exactly_the_published_fields() -> None:
    # The contract of ``amparo plan --json`` and of the API (docs/planner.md): nothing the
    # typed result adds (start, stage order, seconds) leaks into it.
    result = PlanResult(
        status="feasible",
        finish=date(2027, 2, 1),
        lower_bound=date(2027, 1, 30),
        baseline_sequential_finish=date(2027, 3, 1),
        events=(PlannedEvent("A", "m", "x", START, START + timedelta(days=2)),),
        start=START,
        stage_order=("m",),
        solve_seconds=1.5,
    )
    assert result_to_json(result) == {
        "status": "feasible",
        "finish": "2027-02-01",
        "lower_bound": "2027-01-30",
        "baseline_sequential_finish": "2027-03-01",
        "events": [
            {"region": "A", "stage": "m", "team": "x", "start": "2027-01-04", "end": "2027-01-06"}
        ],
    }


# --- the typed result of a stored run ----------------------------------------------------


def test_a_stored_run_reads_back_into_the_typed_result() -> None:
    result = result_from_json(STORED_RESULT, STORED_INPUT)
    assert result.status == "feasible" and not result.optimal
    assert result.start == START
    assert result.finish == date(2027, 1, 21) and result.finish_days == 17
    assert result.lower_bound == date(2027, 1, 16)
    assert result.baseline_sequential_finish == date(2027, 1, 21)
    assert result.gap_days == 5
    assert result.gap_percent == 29.4  # 5 of 17 days
    assert result.stage_order == ("reuniones", "conferencia")  # prerequisites first
    assert result.solve_seconds == 2.03
    assert [e.region for e in result.events] == ["PE-UCA", "PE-LOR", "PE-UCA", "PE-LOR"]
    assert result.events[0].last_day == date(2027, 1, 4)  # a one-day event
    published = {k: v for k, v in STORED_RESULT.items() if k != "solve_seconds"}
    assert result_to_json(result) == published


def test_the_result_groups_events_by_region_in_the_order_they_begin() -> None:
    result = result_from_json(STORED_RESULT, STORED_INPUT)
    rows = result.region_rows
    assert [row.region for row in rows] == ["PE-UCA", "PE-LOR"]  # Ucayali begins first
    assert [e.stage for e in rows[0].events] == ["reuniones", "conferencia"]
    assert rows[1].finish == result.region_finish("PE-LOR") == date(2027, 1, 21)
    assert result.region_finish("PE-UCA") == date(2027, 1, 12)
    assert result.region_finish("PE-MDD") is None


def test_a_run_whose_input_no_longer_validates_still_reads_without_a_stage_order() -> None:
    older = {**STORED_INPUT, "teams": [{"code": "A", "stages": ["reuniones"]}]}  # now refused
    result = result_from_json(STORED_RESULT, older)
    assert result.stage_order == ()
    assert result.start == START and len(result.events) == 4
    bare = result_from_json(STORED_RESULT)
    assert bare.start is None and bare.finish_days is None and bare.gap_percent is None
    assert bare.gap_days == 5


def test_an_optimal_result_has_no_gap() -> None:
    result = replace(result_from_json(STORED_RESULT, STORED_INPUT), status="optimal",
                     lower_bound=date(2027, 1, 21))  # fmt: skip
    assert result.optimal and result.gap_days == 0 and result.gap_percent == 0.0


def test_a_result_round_trips_through_its_stored_form() -> None:
    plan = parse_plan_input(EXAMPLE)
    result = plan_rollout(plan)
    stored = {**result_to_json(result), "solve_seconds": result.solve_seconds}
    assert result_from_json(stored, plan_to_json(plan)) == result


def test_the_finish_of_no_events_is_none() -> None:
    assert finish_of([]) is None
