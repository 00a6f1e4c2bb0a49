"""What would make a plan finish sooner: changes that touch the chain deciding the finish
(``explain``), each planned again quickly and ranked by the days it saves.

Pure Python, no Django. Two kinds, each one a person can ask for on the planner's form:

- ``EXTRA_TEAM``: one more team able to deliver every stage;
- ``NO_BLACKOUT``: a blackout that pushes an event of the chain later, lifted.

Each is planned again with a short time limit and one CP-SAT worker, so the figures are
quick estimates: a full run of the changed plan may find a few days more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from amparo.rollout.planner.explain import chain_blackouts, critical_chain
from amparo.rollout.planner.model import PlanInput, PlanResult, TeamInput
from amparo.rollout.planner.solve import plan_rollout

EXTRA_TEAM = "extra_team"
NO_BLACKOUT = "no_blackout"
# Each what-if is planned again with this time limit (seconds), and at most this many.
WHAT_IF_SECONDS = 1.0
MAX_WHAT_IFS = 4


@dataclass(frozen=True)
class WhatIf:
    """One change: ``kind``, the ``region`` and ``blackout`` it lifts (``NO_BLACKOUT``),
    and once planned, the ``finish`` and the ``days_earlier`` than the plan's."""

    kind: str
    region: str = ""
    blackout: tuple[date, date] | None = None
    finish: date | None = None
    days_earlier: int = 0

    def changed(self, plan: PlanInput) -> PlanInput:
        """``plan`` with this change."""
        if self.kind == EXTRA_TEAM:
            codes = {t.code for t in plan.teams}
            code = next(f"what-if-{n}" for n in range(1, len(codes) + 2)
                        if f"what-if-{n}" not in codes)  # fmt: skip
            team = TeamInput(code, frozenset(s.code for s in plan.stages))
            return replace(plan, teams=(*plan.teams, team))
        regions = tuple(
            replace(r, blackouts=tuple(b for b in r.blackouts if not _inside(b, self.blackout)))
            if r.code == self.region
            else r
            for r in plan.regions
        )
        return replace(plan, regions=regions)

    def to_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "region": self.region,
            "blackout": [d.isoformat() for d in self.blackout] if self.blackout else None,
            "finish": self.finish.isoformat() if self.finish else None,
            "days_earlier": self.days_earlier,
        }

    @classmethod
    def from_json(cls, raw: dict[str, object]) -> WhatIf:
        blackout = raw.get("blackout")
        finish = raw.get("finish")
        return cls(
            kind=str(raw["kind"]),
            region=str(raw.get("region") or ""),
            blackout=(date.fromisoformat(blackout[0]), date.fromisoformat(blackout[1]))
            if isinstance(blackout, list)
            else None,
            finish=date.fromisoformat(finish) if isinstance(finish, str) else None,
            days_earlier=int(raw.get("days_earlier") or 0),  # type: ignore[call-overload]
        )


def _inside(blackout: tuple[date, date], lifted: tuple[date, date] | None) -> bool:
    """Whether a stored blackout is part of the (merged) ``lifted`` one."""
    return lifted is not None and lifted[0] <= blackout[0] and blackout[1] <= lifted[1]


def candidates(plan: PlanInput, result: PlanResult) -> list[WhatIf]:
    """The changes worth trying on ``result``: one more team, and lifting each blackout
    on the chain that decides the finish (once each), at most ``MAX_WHAT_IFS``."""
    found = [WhatIf(EXTRA_TEAM)]
    for region, first, last in chain_blackouts(critical_chain(plan, result)):
        what_if = WhatIf(NO_BLACKOUT, region, (first, last))
        if what_if not in found:
            found.append(what_if)
    return found[:MAX_WHAT_IFS]


def ranked(
    plan: PlanInput,
    result: PlanResult,
    *,
    seconds: float = WHAT_IF_SECONDS,
    should_stop: Callable[[], bool] | None = None,
    solve: Callable[[PlanInput], PlanResult] | None = None,
) -> list[WhatIf]:
    """The ``candidates`` that finish earlier than ``result``, each planned again within
    ``seconds``, the most days saved first; stops trying when ``should_stop`` says so.
    ``solve`` plans a changed plan (by default ``plan_rollout`` with one worker)."""
    solve = solve or (lambda p: plan_rollout(p, workers=1, seed=0, should_stop=should_stop))
    if result.finish is None:
        return []
    helped = []
    for what_if in candidates(plan, result):
        if should_stop is not None and should_stop():
            break
        answer = solve(replace(what_if.changed(plan), time_limit_s=seconds))
        if answer.finish is not None and answer.finish < result.finish:
            days = (result.finish - answer.finish).days
            helped.append(replace(what_if, finish=answer.finish, days_earlier=days))
    return sorted(helped, key=lambda w: (-w.days_earlier, w.kind, w.region))
