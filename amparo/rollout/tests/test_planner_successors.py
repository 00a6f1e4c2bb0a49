"""How long the bound counts each event (``successors``), without a database: until the
first day its team could start another event, never longer than a real schedule allows."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from hypothesis import HealthCheck, given, settings

from amparo.rollout.planner import (
    PlanInput,
    PlannedEvent,
    RegionInput,
    StageInput,
    TeamInput,
    critical_path_finish,
    finish_of,
    plan_rollout,
    tasks_of,
)
from amparo.rollout.planner.bound import (
    Counting,
    candidate_days,
    relaxation_feasible,
    travel_aware_bound,
)
from amparo.rollout.planner.successors import (
    shortest_travel,
    successor_lags,
    tied_until,
)
from amparo.rollout.tests.planner_cases import (
    START,
    exhaustive_finish,
    plans,
    plans_with_stages_done,
)

# Two near regions and a far one; team y alone holds the conferences, so it must travel to
# every region for them.
NEAR_AND_FAR = PlanInput(
    START,
    tuple(RegionInput(code, START) for code in ("N1", "N2", "F")),
    (StageInput("m", 1), StageInput("c", 1)),
    (TeamInput("x", frozenset({"m"})), TeamInput("y", frozenset({"m", "c"}))),
    {"N1": {"N2": 1, "F": 5}, "N2": {"F": 5}},
)


def test_an_event_ties_its_team_until_the_next_event_it_could_start() -> None:
    lags = {("A", "m"): [(("B", "m"), 3)]}
    days = {("A", "m"): [0, 5], ("B", "m"): [4, 6]}
    until, cells = tied_until(lags, days, finish=9)
    # From day 0, B can start on day 3 at the earliest, and its first free day then is 4.
    # From day 5, B would need day 8, past its last start day: nothing follows, so the
    # team is tied up to the finish.
    assert until == {("A", "m"): {0: 4, 5: 9}}
    assert cells == 2  # one next event on two start days: the work it counts


def test_a_team_may_follow_an_event_only_with_events_it_can_deliver_after_it() -> None:
    plan = PlanInput(
        START,
        (RegionInput("A", START), RegionInput("B", START)),
        (StageInput("m", 2), StageInput("c", 3, ("m",), 4)),
        (TeamInput("x", frozenset({"m"})), TeamInput("y", frozenset({"c"}))),
        {"A": {"B": 3}},
    )
    lags = successor_lags(plan)
    # No team holds both stages: a meeting is followed only by the other meeting (its days
    # and the travel), never by a conference; a conference never by a meeting.
    assert lags[("A", "m")] == [(("B", "m"), 5)]
    assert lags[("A", "c")] == [(("B", "c"), 6)]
    both = PlanInput(plan.start, plan.regions, plan.stages,
                     (TeamInput("x", frozenset({"m", "c"})),), plan.travel_days)  # fmt: skip
    # One team for both: the region's conference follows its meeting after the days and
    # the gap, and the meeting never follows the conference.
    assert sorted(successor_lags(both)[("A", "m")]) == [(("A", "c"), 6), (("B", "c"), 5),
                                                        (("B", "m"), 5)]  # fmt: skip
    assert sorted(successor_lags(both)[("A", "c")]) == [(("B", "c"), 6), (("B", "m"), 6)]


def test_the_next_event_of_a_set_is_reached_by_the_shortest_chain_of_regions() -> None:
    plan = PlanInput(
        START,
        tuple(RegionInput(code, START) for code in ("A", "B", "C")),
        (StageInput("m", 1),),
        (TeamInput("x", frozenset({"m"})),),
        {"A": {"B": 9, "C": 2}, "B": {"C": 3}},  # not metric: A-C-B takes 5 days
    )
    assert shortest_travel(plan)["A"]["B"] == 5
    assert (("B", "m"), 1 + 9) in successor_lags(plan)[("A", "m")]  # the next event: direct
    assert (("B", "m"), 1 + 5) in successor_lags(plan, frozenset({"m"}))[("A", "m")]


def test_a_team_needed_in_every_region_makes_the_bound_count_its_travel() -> None:
    # Team y must hold the three conferences, one region after another: the least travel
    # out of each region (1, 1 and 5 days) proved only 3 days; counting y's conferences
    # until its next possible conference proves 5.
    assert travel_aware_bound(NEAR_AND_FAR, 1, 30, seconds=5.0) == 5
    counting = Counting.of(NEAR_AND_FAR)
    assert relaxation_feasible(NEAR_AND_FAR, 4, 5.0, counting.parts()[0]) is False
    # All the sets together count only the least travel out of each region.
    assert relaxation_feasible(NEAR_AND_FAR, 3, 5.0, counting) is True
    assert (exhaustive_finish(NEAR_AND_FAR) - START).days == 9


def test_the_work_of_the_ties_is_counted() -> None:
    part = Counting.of(NEAR_AND_FAR).parts()[0]
    used, again = [0.0], [0.0]
    relaxation_feasible(NEAR_AND_FAR, 9, 5.0, part, 10_000, used)
    relaxation_feasible(NEAR_AND_FAR, 9, 5.0, part, 10_000, again)
    assert used[0] > 0 and used == again  # the same work for the same input


def _assert_ties_hold(plan: PlanInput, events: list[PlannedEvent]) -> None:
    """Each team's next event, and its next event of each counted set, starts no earlier
    than the tie says; a team's last one is tied no later than the finish."""
    finish = (finish_of(events) - START).days
    counting = Counting.of(plan)
    days = candidate_days(plan, finish, counting)
    by_team = defaultdict(list)
    for event in sorted(events, key=lambda e: e.start):
        by_team[event.team].append(event)
    sets = [(None, counting.lags)] + [
        (subset, lags) for (subset, _), lags in zip(counting.sets, counting.set_lags, strict=True)
    ]
    for subset, lags in sets:
        until, _ = tied_until(lags, days, finish)
        for route in by_team.values():
            held = [e for e in route if subset is None or e.stage in subset]
            for i, event in enumerate(held):
                day = (event.start - START).days
                tied = until[(event.region, event.stage)][day]
                if i + 1 < len(held):
                    assert (held[i + 1].start - START).days >= tied
                assert tied <= finish


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans())
def test_no_real_schedule_ends_a_tie_early(plan: PlanInput) -> None:
    _assert_ties_hold(plan, plan_rollout(plan).events)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans_with_stages_done().filter(lambda plan: len(tasks_of(plan)) <= 5))
def test_the_bound_never_exceeds_the_optimum_with_stages_done(plan: PlanInput) -> None:
    optimum = (exhaustive_finish(plan) - START).days
    chain = (critical_path_finish(plan) - START).days
    assert chain <= travel_aware_bound(plan, chain, optimum + 10, seconds=5.0) <= optimum


def test_the_last_day_is_never_counted_past_a_late_start_by_the_relaxation() -> None:
    # The far region can only start late: whatever the team holds before it, it is tied
    # until F's first day at the most, and the bound stays below the optimum.
    late = PlanInput(
        START,
        (RegionInput("N1", START), RegionInput("F", START + timedelta(days=20))),
        (StageInput("m", 1),),
        (TeamInput("x", frozenset({"m"})),),
        {"N1": {"F": 5}},
    )
    assert (
        travel_aware_bound(late, 21, 40, seconds=5.0)
        == 21
        == (exhaustive_finish(late) - START).days
    )


def test_each_set_of_stages_is_tried_alone_before_all_together() -> None:
    counting = Counting.of(NEAR_AND_FAR)
    # The conferences (one team, three events) and everything (two teams, six events):
    # the conferences alone first; everything only together, it is the largest.
    assert [(sorted(s), teams) for s, teams in counting.sets] == [(["c"], 1), (["c", "m"], 2)]
    assert [part.sets for part in counting.parts()] == [[(frozenset({"c"}), 1)]]
    # The conferences' team alone proves what all the counting together proves, placing
    # only the conferences.
    alone = counting.parts()[0]
    assert alone.only == frozenset({"c"})
    assert sorted(alone.lags) == [("F", "c"), ("N1", "c"), ("N2", "c")]
    assert relaxation_feasible(NEAR_AND_FAR, 4, 5.0, alone) is False
    assert relaxation_feasible(NEAR_AND_FAR, 5, 5.0, alone) is True


def test_a_later_stage_of_the_region_follows_after_the_whole_chain_between() -> None:
    stages = (
        StageInput("a", 2),
        StageInput("b", 3, ("a",), 5),
        StageInput("c", 1, ("b",), 7),
    )
    team = (TeamInput("x", frozenset({"a", "b", "c"})),)
    plan = PlanInput(START, (RegionInput("R", START),), stages, team)
    lags = dict(successor_lags(plan)[("R", "a")])
    # a to b: a's 2 days and the 5-day gap; a to c: that, b's 3 days and the 7-day gap.
    assert lags == {("R", "b"): 7, ("R", "c"): 17}
    assert successor_lags(plan)[("R", "c")] == []  # nothing of the region comes after c
    # With a done, the chain runs from b only.
    done = PlanInput(START, (RegionInput("R", START, (), ("a",)),), stages, team)
    assert dict(successor_lags(done)[("R", "b")]) == {("R", "c"): 10}


def test_only_sets_with_more_events_than_teams_are_tried_alone() -> None:
    plan = PlanInput(
        START,
        (RegionInput("A", START), RegionInput("B", START)),
        (StageInput("m", 1), StageInput("c", 1), StageInput("t", 1)),
        (
            TeamInput("x", frozenset({"c", "t"})),
            TeamInput("y", frozenset({"m"})),
            TeamInput("z", frozenset({"m"})),
        ),
    )
    counting = Counting.of(plan)
    # {m} has two teams for its two events: nothing to count. {c, t} (x alone, four
    # events) is tried alone; all the stages together, the largest, only with the rest.
    assert (frozenset({"m"}), 2) in counting.sets
    assert [part.only for part in counting.parts()] == [frozenset({"c", "t"})]


def test_less_work_never_proves_more() -> None:
    plan = NEAR_AND_FAR
    full = travel_aware_bound(plan, 1, 30, seconds=5.0)
    for iterations in (1, 5, 20, 100, 10_000):
        limited = travel_aware_bound(plan, 1, 30, seconds=5.0, iterations=iterations)
        assert 1 <= limited <= full
        assert limited == travel_aware_bound(plan, 1, 30, seconds=5.0, iterations=iterations)
    assert travel_aware_bound(plan, 1, 30, seconds=5.0, iterations=10_000) == full


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans().filter(lambda plan: len(tasks_of(plan)) <= 5))
def test_no_program_rules_out_the_optimum(plan: PlanInput) -> None:
    # Each set's program alone, and all of them together, keep a solution ending on the
    # optimum (the best schedule is one): none of them may prove a bound above it.
    optimum = (exhaustive_finish(plan) - START).days
    counting = Counting.of(plan)
    for program in [*counting.parts(), counting]:
        assert relaxation_feasible(plan, optimum, 5.0, program) is True


def test_a_set_that_three_teams_deliver_is_not_tried_alone() -> None:
    regions = tuple(RegionInput(code, START) for code in ("A", "B", "C", "D"))
    stages = (StageInput("m", 1), StageInput("c", 1))
    few = (TeamInput("x", frozenset({"c"})), TeamInput("y", frozenset({"m", "c"})))
    many = (*few, TeamInput("z", frozenset({"c"})), TeamInput("w", frozenset({"m"})),
            TeamInput("v", frozenset({"m"})))  # fmt: skip
    # With two teams, y alone holds the four meetings: tried alone. With five, three teams
    # hold the meetings and three the conferences: only all together.
    assert [p.only for p in Counting.of(PlanInput(START, regions, stages, few)).parts()] == [
        frozenset({"m"})
    ]
    assert Counting.of(PlanInput(START, regions, stages, many)).parts() == []
