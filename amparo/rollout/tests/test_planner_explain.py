"""``planner.explain``: the chain that decides a plan's finish, on small hand-built plans
whose reason is known, and on the planner's own answers; in Spanish and English."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.rollout.planner import (
    PlanInput,
    PlannedEvent,
    PlanResult,
    RegionInput,
    StageInput,
    TeamInput,
    finish_of,
    plan_rollout,
    tasks_of,
    validate,
)
from amparo.rollout.planner.explain import (
    GAP,
    OPENS,
    ROUTE,
    SLACK,
    chain_blackouts,
    chain_teams,
    critical_chain,
    describe,
)
from amparo.rollout.planner.greedy import GreedyInstance, best_greedy_schedule
from amparo.rollout.planner.whatif import candidates
from amparo.rollout.tests.planner_cases import (
    SMALL,
    START,
    plans,
    plans_with_stages_done,
    three_regions_one_team,
)


def day(n: int) -> date:
    return START + timedelta(days=n)


def event(region: str, stage: str, team: str, first: int, days: int) -> PlannedEvent:
    return PlannedEvent(region, stage, team, day(first), day(first + days))


def answer(*events: PlannedEvent) -> PlanResult:
    finish = max(e.end for e in events)
    return PlanResult("feasible", finish, START, finish, tuple(events), start=START)


STAGES = (StageInput("m", 2), StageInput("c", 3, ("m",), 21))
ONE_TEAM = (TeamInput("A", frozenset({"m", "c"})),)


def test_a_stage_gap_decides_the_finish() -> None:
    plan = PlanInput(START, (RegionInput("MDD", START),), STAGES, ONE_TEAM)
    meeting, conference = event("MDD", "m", "A", 0, 2), event("MDD", "c", "A", 23, 3)
    chain = critical_chain(plan, answer(meeting, conference))
    assert [(link.event, link.because, link.days) for link in chain] == [
        (conference, GAP, 21),
        (meeting, OPENS, 0),
    ]
    assert chain[0].earlier == meeting and chain_blackouts(chain) == []


def test_a_teams_route_with_its_travel_decides_the_finish() -> None:
    plan = PlanInput(
        START, (RegionInput("LOR", START), RegionInput("UCA", START)), (StageInput("m", 2),),
        ONE_TEAM, {"LOR": {"UCA": 3}},
    )  # fmt: skip
    first, second = event("LOR", "m", "A", 0, 2), event("UCA", "m", "A", 5, 2)
    chain = critical_chain(plan, answer(first, second))
    assert [(link.because, link.earlier, link.days) for link in chain] == [
        (ROUTE, first, 3),
        (OPENS, None, 0),
    ]
    assert chain_teams(chain) == ["A"]


def test_a_blackout_on_the_chain_is_named_with_the_day_it_moved_from() -> None:
    blackout = (day(1), day(9))
    plan = PlanInput(START, (RegionInput("MDD", START, (blackout,)),), (StageInput("m", 2),),
                     ONE_TEAM)  # fmt: skip
    meeting = event("MDD", "m", "A", 10, 2)
    chain = critical_chain(plan, answer(meeting))
    assert len(chain) == 1
    link = chain[0]
    assert (link.because, link.blackout, link.ready) == (OPENS, blackout, START)
    assert chain_blackouts(chain) == [("MDD", day(1), day(9))]


def test_a_region_that_opens_late_starts_the_chain() -> None:
    plan = PlanInput(START, (RegionInput("MDD", day(7)),), (StageInput("m", 2),), ONE_TEAM)
    chain = critical_chain(plan, answer(event("MDD", "m", "A", 7, 2)))
    assert [link.because for link in chain] == [OPENS]


def test_an_event_nothing_forces_ends_the_chain_with_its_slack() -> None:
    plan = PlanInput(START, (RegionInput("MDD", START),), STAGES, ONE_TEAM)
    meeting, conference = event("MDD", "m", "A", 4, 2), event("MDD", "c", "A", 27, 3)
    chain = critical_chain(plan, answer(meeting, conference))
    assert [(link.because, link.days) for link in chain] == [(GAP, 21), (SLACK, 4)]


def test_two_teams_the_chain_follows_the_one_that_ends_last() -> None:
    teams = (TeamInput("A", frozenset({"m"})), TeamInput("B", frozenset({"m"})))
    plan = PlanInput(
        START, tuple(RegionInput(c, START) for c in ("R1", "R2", "R3")), (StageInput("m", 2),),
        teams, {"R1": {"R2": 1, "R3": 4}, "R2": {"R3": 2}},
    )  # fmt: skip
    a1, b1, b2 = (
        event("R1", "m", "A", 0, 2),
        event("R2", "m", "B", 0, 2),
        event("R3", "m", "B", 4, 2),
    )
    chain = critical_chain(plan, answer(a1, b1, b2))
    assert [link.event for link in chain] == [b2, b1]
    assert chain_teams(chain) == ["B"]


def test_no_events_no_chain() -> None:
    plan = PlanInput(START, (RegionInput("MDD", START, done=("m", "c")),), STAGES, ONE_TEAM)
    empty = PlanResult("optimal", START, START, START, (), start=START)
    assert critical_chain(plan, empty) == [] and describe([]) == []


def test_the_chain_in_english_and_spanish_with_names() -> None:
    blackout = (day(3), day(6))
    plan = PlanInput(
        START, (RegionInput("LOR", START), RegionInput("UCA", START, (blackout,))), STAGES,
        ONE_TEAM, {"LOR": {"UCA": 2}},
    )  # fmt: skip
    events = (event("LOR", "m", "A", 0, 2), event("UCA", "m", "A", 7, 2),
              event("UCA", "c", "A", 30, 3))  # fmt: skip
    chain = critical_chain(plan, answer(*events))
    names = {"region_names": {"LOR": "Loreto", "UCA": "Ucayali"},
             "stage_names": {"m": "Reuniones", "c": "Conferencia"}}  # fmt: skip
    english = describe(chain, language="en", **names)
    assert english[0] == "The plan ends when Conferencia in Ucayali ends on 2027-02-05 (team A)."
    assert "then the 21-day gap between the stages" in english[1]
    assert english[2] == (
        "A starts Reuniones in Ucayali on 2027-01-11: it ends Reuniones in Loreto on "
        "2027-01-05 and then travels 2 days."
    )
    assert english[3] == "The blackout of Ucayali from 2027-01-07 to 2027-01-10 moves it from " \
        "2027-01-08 to 2027-01-11."  # fmt: skip
    assert "the first day the region can start" in english[4]
    spanish = describe(chain, language="es-pe", **names)
    assert spanish[0] == "El plan termina cuando Conferencia en Ucayali termina el 2027-02-05 " \
        "(equipo A)."  # fmt: skip
    assert "luego viaja 2 días" in spanish[2] and "El bloqueo de Ucayali" in spanish[3]
    assert describe(chain, language="fr")[0].startswith("The plan ends")
    assert describe(chain)[1].startswith("c in UCA starts")  # codes without names


def test_one_day_is_said_in_the_singular() -> None:
    plan = PlanInput(
        START, (RegionInput("LOR", START), RegionInput("UCA", START)), (StageInput("m", 2),),
        ONE_TEAM, {"LOR": {"UCA": 1}},
    )  # fmt: skip
    chain = critical_chain(plan, answer(event("LOR", "m", "A", 0, 2), event("UCA", "m", "A", 3, 2)))
    assert describe(chain)[1].endswith("then travels 1 day.")
    assert describe(chain, language="es")[1].endswith("luego viaja 1 día.")
    late = critical_chain(plan, answer(event("LOR", "m", "A", 1, 2)))
    assert describe(late)[1].startswith("m in LOR could start 1 day earlier")
    assert "podría empezar 1 día antes" in describe(late, language="es")[1]


def test_a_team_staying_in_its_region_is_said_so() -> None:
    stages = (StageInput("m", 2), StageInput("c", 1, ("m",), 0))
    plan = PlanInput(START, (RegionInput("MDD", START),), stages, ONE_TEAM)
    chain = critical_chain(plan, answer(event("MDD", "m", "A", 0, 2), event("MDD", "c", "A", 2, 1)))
    assert "right after its m there ends on 2027-01-05" in describe(chain)[1]


def test_the_chain_of_the_planners_answers_ends_at_their_finish_and_holds() -> None:
    for plan in [*SMALL, three_regions_one_team()]:
        result = plan_rollout(plan)
        chain = critical_chain(plan, result)
        assert chain[0].event.end == result.finish
        for link in chain:
            if link.earlier is not None:
                assert link.earlier.end <= link.event.start
            if link.because in (ROUTE, GAP) and not link.blackout:
                assert link.earlier.end + timedelta(days=link.days) == link.event.start
        assert len(describe(chain, language="es")) >= len(chain) + 1


def _greedy_answer(plan: PlanInput, seed: int) -> PlanResult:
    events = best_greedy_schedule(GreedyInstance.of(plan), 0.05, seed=seed)
    return PlanResult(
        "feasible", finish_of(events), START, finish_of(events), tuple(events), start=START
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_with_stages_done(), st.integers(0, 100))
def test_every_link_of_the_chain_is_what_really_holds_its_event(plan, seed) -> None:
    result = _greedy_answer(plan, seed)
    chain = critical_chain(plan, result)
    assert chain[0].event.end == result.finish
    regions = {r.code: r for r in plan.regions}
    for n, link in enumerate(chain):
        e = link.event
        if link.because in (SLACK, OPENS):
            assert n == len(chain) - 1  # the chain ends there
        if link.because == SLACK:
            assert link.days > 0 and link.earlier is None
            continue
        if link.because == ROUTE:
            assert link.earlier.team == e.team
            assert link.days == plan.travel(link.earlier.region, e.region)
        if link.because == GAP:
            assert link.earlier.region == e.region
        ready = (
            max(plan.start, regions[e.region].earliest)
            if link.because == OPENS
            else link.earlier.end + timedelta(days=link.days)
        )
        if link.blackout:
            assert link.ready == ready and ready <= link.blackout[1]
            assert e.start == link.blackout[1] + timedelta(days=1)
        else:
            assert e.start == ready
    blackouts = sum(1 for link in chain if link.blackout)
    for language in ("es", "en"):
        assert len(describe(chain, language=language)) == 1 + len(chain) + blackouts


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.integers(0, 100))
def test_every_what_if_changes_a_plan_into_a_valid_one(plan, seed) -> None:
    result = _greedy_answer(plan, seed)
    for what_if in candidates(plan, result):
        changed = what_if.changed(plan)
        validate(changed)
        assert len(tasks_of(changed)) == len(tasks_of(plan))
        assert len(changed.teams) >= len(plan.teams)
        lifted = sum(len(r.blackouts) for r in plan.regions) - sum(
            len(r.blackouts) for r in changed.regions
        )
        assert lifted >= (1 if what_if.blackout else 0)
