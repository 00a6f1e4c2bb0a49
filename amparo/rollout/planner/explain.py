"""Why a plan finishes when it does: the chain of events that decides the finish.

Pure Python, no Django. From the last event to end, each link says what kept an event
from starting earlier: the team's route (its previous event plus the travel), the
region's previous stage plus the gap, a blackout of the region, or the day the region may
start at all. The chain stops at an event nothing forces (it could start earlier and the
finish would not move) or at the region's first day. ``describe`` says it in words, in
Spanish or English; the page shows that, and ``chain_blackouts`` / ``chain_teams`` name
what a what-if could change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from amparo.rollout.planner.model import PlanInput, PlannedEvent, PlanResult
from amparo.rollout.planner.rules import first_free_day, merged_blackouts

# Why an event starts on its day.
ROUTE = "route"  # its team ends its previous event and travels
GAP = "gap"  # the region's previous stage ends, then the gap
OPENS = "opens"  # the region may start no earlier (the plan's start or its earliest day)
SLACK = "slack"  # nothing forces it: it could start earlier


@dataclass(frozen=True)
class Link:
    """One event of the chain and why it starts on its day: ``because`` (one of the kinds
    above) with the ``earlier`` event it waits for (route, gap), the ``days`` of travel,
    gap or slack, and the ``blackout`` (first, last day) that pushed it later, if any."""

    event: PlannedEvent
    because: str
    earlier: PlannedEvent | None = None
    days: int = 0
    blackout: tuple[date, date] | None = None
    ready: date | None = None  # the day it could start but for the blackout


def critical_chain(plan: PlanInput, result: PlanResult) -> list[Link]:
    """The links from the event that ends last back to the first that nothing earlier
    forces; empty for a plan with no events."""
    events = list(result.events)
    if not events:
        return []
    last = max(events, key=lambda e: (e.end, e.start, e.region, e.stage))
    chain: list[Link] = []
    seen: set[tuple[str, str]] = set()
    current: PlannedEvent | None = last
    while current is not None and (current.region, current.stage) not in seen:
        seen.add((current.region, current.stage))
        link = _why(plan, events, current)
        chain.append(link)
        current = link.earlier
    return chain


def _why(plan: PlanInput, events: list[PlannedEvent], event: PlannedEvent) -> Link:
    regions = {r.code: r for r in plan.regions}
    stages = {s.code: s for s in plan.stages}
    region, stage = regions[event.region], stages[event.stage]
    # Candidates for the first day it could start, the one that continues the chain first.
    candidates: list[tuple[date, str, PlannedEvent | None, int]] = []
    before = [e for e in events if e.team == event.team and e.end <= event.start and e != event]
    if before:
        previous = max(before, key=lambda e: (e.end, e.start))
        travel = plan.travel(previous.region, event.region)
        candidates.append((previous.end + timedelta(days=travel), ROUTE, previous, travel))
    for code in stage.after:
        for e in events:
            if e.region == event.region and e.stage == code:
                gap = stage.min_gap_days
                candidates.append((e.end + timedelta(days=gap), GAP, e, gap))
    opens = max(plan.start, region.earliest)
    candidates.append((opens, OPENS, None, 0))
    ready = max(day for day, *_ in candidates)
    _day, because, earlier, days = next(c for c in candidates if c[0] == ready)
    free = first_free_day(region, ready, stage.days)
    if event.start > free:
        return Link(event, SLACK, None, (event.start - free).days)
    blackout = None
    if free > ready:
        blackout = next(
            (b for b in merged_blackouts(region.blackouts) if b[0] <= free - timedelta(days=1)
             and b[1] == free - timedelta(days=1)),
            None,
        )  # fmt: skip
    return Link(event, because, earlier, days, blackout, ready if blackout else None)


def chain_blackouts(chain: list[Link]) -> list[tuple[str, date, date]]:
    """The blackouts (region, first, last) that push an event of the chain later."""
    return [(link.event.region, *link.blackout) for link in chain if link.blackout]


def chain_teams(chain: list[Link]) -> list[str]:
    """The teams whose route is part of the chain, in the chain's order, once each."""
    found: list[str] = []
    for link in chain:
        if link.because == ROUTE and link.event.team not in found:
            found.append(link.event.team)
    return found


# --- in words ----------------------------------------------------------------------------

_WORDS = {
    "en": {
        "day": "day",
        "days": "days",
        "ends": "The plan ends when {stage} in {region} ends on {last} (team {team}).",
        ROUTE: "{team} starts {stage} in {region} on {start}: it ends {earlier_stage} in "
        "{earlier_region} on {earlier_last} and then travels {days} {unit}.",
        "route_same": "{team} starts {stage} in {region} on {start}, right after its "
        "{earlier_stage} there ends on {earlier_last}.",
        GAP: "{stage} in {region} starts on {start}: {earlier_stage} there ends on "
        "{earlier_last}, then the {days}-day gap between the stages.",
        OPENS: "{stage} in {region} starts on {start}, the first day the region can start.",
        SLACK: "{stage} in {region} could start {days} {unit} earlier without moving the "
        "finish; nothing before it decides the finish.",
        "blackout": "The blackout of {region} from {first} to {last} moves it from {ready} "
        "to {start}.",
    },
    "es": {
        "day": "día",
        "days": "días",
        "ends": "El plan termina cuando {stage} en {region} termina el {last} (equipo {team}).",
        ROUTE: "{team} empieza {stage} en {region} el {start}: termina {earlier_stage} en "
        "{earlier_region} el {earlier_last} y luego viaja {days} {unit}.",
        "route_same": "{team} empieza {stage} en {region} el {start}, justo después de que "
        "termine allí {earlier_stage} el {earlier_last}.",
        GAP: "{stage} en {region} empieza el {start}: {earlier_stage} termina allí el "
        "{earlier_last}, y luego la pausa de {days} {unit} entre las etapas.",
        OPENS: "{stage} en {region} empieza el {start}, el primer día en que la región "
        "puede empezar.",
        SLACK: "{stage} en {region} podría empezar {days} {unit} antes sin mover el fin; "
        "nada anterior decide el fin.",
        "blackout": "El bloqueo de {region} del {first} al {last} lo mueve del {ready} al {start}.",
    },
}


def describe(
    chain: list[Link],
    *,
    language: str = "en",
    region_names: dict[str, str] | None = None,
    stage_names: dict[str, str] | None = None,
) -> list[str]:
    """The chain in sentences, from the finish back, in ``language`` ("es" or "en"; any
    other reads English), with the regions' and stages' names where given."""
    words = _WORDS.get(language[:2], _WORDS["en"])
    region_names, stage_names = region_names or {}, stage_names or {}

    def names(prefix: str, e: PlannedEvent) -> dict[str, str]:
        return {
            f"{prefix}region": region_names.get(e.region, e.region),
            f"{prefix}stage": stage_names.get(e.stage, e.stage),
            f"{prefix}last": e.last_day.isoformat(),
        }

    if not chain:
        return []
    first = chain[0].event
    sentences = [words["ends"].format(team=first.team, **names("", first))]
    for link in chain:
        e = link.event
        fields = {"team": e.team, "start": e.start.isoformat(), "days": link.days,
                  "unit": words["day" if link.days == 1 else "days"], **names("", e)}  # fmt: skip
        if link.earlier is not None:
            fields |= names("earlier_", link.earlier)
        key = link.because
        if key == ROUTE and link.earlier is not None and link.earlier.region == e.region:
            key = "route_same"
        sentences.append(words[key].format(**fields))
        if link.blackout:
            first_day, last_day = link.blackout
            sentences.append(
                words["blackout"].format(
                    region=fields["region"],
                    first=first_day.isoformat(),
                    last=last_day.isoformat(),
                    ready=link.ready.isoformat() if link.ready else "",
                    start=e.start.isoformat(),
                )
            )
    return sentences
