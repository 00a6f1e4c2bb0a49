"""``planner.whatif``: changes on the chain that decides the finish, planned again and
ranked by the days they save; on small hand-built plans."""

from __future__ import annotations

from datetime import timedelta

from amparo.rollout.planner import (
    PlanInput,
    PlanResult,
    RegionInput,
    StageInput,
    TeamInput,
    plan_rollout,
)
from amparo.rollout.planner.whatif import (
    EXTRA_TEAM,
    MAX_WHAT_IFS,
    NO_BLACKOUT,
    WhatIf,
    candidates,
    ranked,
)
from amparo.rollout.tests.planner_cases import START

BLACKOUT = (START + timedelta(days=1), START + timedelta(days=20))
ONE_TEAM = (TeamInput("A", frozenset({"m"})),)


def blocked() -> PlanInput:
    """Two regions, one team: B's blackout keeps its meeting waiting three weeks."""
    return PlanInput(
        START,
        (RegionInput("A", START), RegionInput("B", START, (BLACKOUT,))),
        (StageInput("m", 2),),
        ONE_TEAM,
        {"A": {"B": 1}},
        time_limit_s=1.0,
    )


def busy() -> PlanInput:
    """Four regions and one team: a second team halves the work."""
    return PlanInput(
        START,
        tuple(RegionInput(c, START) for c in "ABCD"),
        (StageInput("m", 3),),
        ONE_TEAM,
        {a: {b: 1 for b in "ABCD" if b > a} for a in "ABCD"},
        time_limit_s=1.0,
    )


def test_the_candidates_are_one_more_team_and_each_blackout_on_the_chain() -> None:
    plan = blocked()
    result = plan_rollout(plan)
    assert candidates(plan, result) == [WhatIf(EXTRA_TEAM), WhatIf(NO_BLACKOUT, "B", BLACKOUT)]
    assert candidates(busy(), plan_rollout(busy())) == [WhatIf(EXTRA_TEAM)]


def test_lifting_the_blackout_that_decides_the_finish_is_ranked_first() -> None:
    plan = blocked()
    result = plan_rollout(plan)
    assert result.finish == START + timedelta(days=23)  # B from day 21
    found = ranked(plan, result)
    # Another team would still wait for the blackout: it saves nothing and is left out.
    assert [(w.kind, w.region) for w in found] == [(NO_BLACKOUT, "B")]
    lifted = found[0]
    assert lifted.finish == START + timedelta(days=5) and lifted.days_earlier == 18


def test_one_more_team_halves_a_busy_plan() -> None:
    plan = busy()
    result = plan_rollout(plan)
    found = ranked(plan, result)
    assert [w.kind for w in found] == [EXTRA_TEAM]
    assert found[0].finish < result.finish
    assert found[0].days_earlier == (result.finish - found[0].finish).days


def test_changes_that_save_nothing_are_left_out() -> None:
    plan = PlanInput(START, (RegionInput("A", START),), (StageInput("m", 2),), ONE_TEAM)
    assert ranked(plan, plan_rollout(plan)) == []


def test_the_changed_plans_keep_everything_else() -> None:
    plan = blocked()
    more = WhatIf(EXTRA_TEAM).changed(plan)
    assert [t.code for t in more.teams] == ["A", "what-if-1"]
    assert more.teams[1].stages == {"m"} and more.regions == plan.regions
    lifted = WhatIf(NO_BLACKOUT, "B", BLACKOUT).changed(plan)
    assert lifted.regions[1].blackouts == () and lifted.regions[0] == plan.regions[0]
    assert lifted.teams == plan.teams
    other = WhatIf(NO_BLACKOUT, "B", (START, START)).changed(plan)
    assert other.regions[1].blackouts == (BLACKOUT,)  # not that blackout: kept


def test_a_stop_request_ends_the_what_ifs() -> None:
    plan = blocked()
    tried = []

    def solve(changed):
        tried.append(changed)
        return plan_rollout(changed)

    assert ranked(plan, plan_rollout(plan), should_stop=lambda: True, solve=solve) == []
    assert tried == []
    ranked(plan, plan_rollout(plan), solve=solve, seconds=0.5)
    assert len(tried) == 2 and all(p.time_limit_s == 0.5 for p in tried)


def test_at_most_a_few_what_ifs_and_none_without_a_finish() -> None:
    blackouts = tuple((START + timedelta(days=3 * n), START + timedelta(days=3 * n + 1))
                      for n in range(8))  # fmt: skip
    plan = PlanInput(START, (RegionInput("A", START, blackouts),),
                     tuple(StageInput(f"s{n}", 2, (f"s{n - 1}",) if n else ()) for n in range(6)),
                     (TeamInput("A", frozenset(f"s{n}" for n in range(6))),))  # fmt: skip
    assert len(candidates(plan, plan_rollout(plan))) <= MAX_WHAT_IFS
    empty = PlanResult("optimal", None, None, None, ())
    assert ranked(plan, empty) == []


def test_what_ifs_read_back_from_their_stored_form() -> None:
    found = ranked(blocked(), plan_rollout(blocked()))
    assert [WhatIf.from_json(w.to_json()) for w in found] == found
    assert found[0].to_json()["blackout"] == [BLACKOUT[0].isoformat(), BLACKOUT[1].isoformat()]
