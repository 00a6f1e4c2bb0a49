"""Between the planner (pure) and the database: build its input from the rollout data,
run it, keep the run, and turn a chosen plan into planned events."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.rollout import blackout_calendar, delays, planner
from amparo.rollout.models import (
    Blackout,
    Event,
    EventStatus,
    PlanRun,
    PlanRunState,
    Playbook,
    Rollout,
    Team,
    TravelTime,
)
from amparo.rollout.planner import whatif
from amparo.territory.models import Region

logger = logging.getLogger(__name__)

EXTRA_TEAM_PREFIX = "extra-"


def blackouts_by_region(
    regions: Iterable[Region], *, start: date
) -> dict[str, list[tuple[date, date]]]:
    """The stored blackouts of ``regions`` by region code, as the planner reads them for a
    plan starting on ``start``: those that repeat every year once per year over the
    planning horizon (``blackout_calendar.horizon``), one-off ones as they are. One query."""
    periods: dict[str, list[blackout_calendar.Period]] = {}
    for b in Blackout.objects.filter(region__in=list(regions)).select_related("region"):
        periods.setdefault(b.region.code, []).append(
            blackout_calendar.Period(b.first_day, b.last_day, b.every_year)
        )
    first, last = blackout_calendar.horizon(start)
    found = {}
    for code, rows in periods.items():
        one_off = [(p.first, p.last) for p in rows if not p.every_year]
        yearly = blackout_calendar.expand_yearly([p for p in rows if p.every_year], first, last)
        found[code] = sorted(one_off + yearly)
    return found


def parse_blackout_lines(text: str, allowed: set[str]) -> dict[str, list[tuple[date, date]]]:
    """Read lines of ``CODE FIRST LAST`` (e.g. ``PE-MDD 2027-02-01 2027-03-15``).

    Raises ``ValueError`` naming the line and the problem; blank lines are skipped."""
    found: dict[str, list[tuple[date, date]]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        words = line.split()
        if not words:
            continue
        if len(words) != 3:
            raise ValueError(_("line %(n)s: write REGION FIRST-DAY LAST-DAY") % {"n": number})
        code, first, last = words
        if code not in allowed:
            raise ValueError(_("line %(n)s: %(code)s is not a chosen region")
                             % {"n": number, "code": code})  # fmt: skip
        try:
            first_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
        except ValueError:
            raise ValueError(
                _("line %(n)s: dates are written YYYY-MM-DD") % {"n": number}
            ) from None
        if last_day < first_day:
            raise ValueError(_("line %(n)s: the last day is before the first") % {"n": number})
        found.setdefault(code, []).append((first_day, last_day))
    return found


def blackout_lines(blackouts: dict[str, list[tuple[date, date]]]) -> str:
    return "\n".join(
        f"{code} {first.isoformat()} {last.isoformat()}"
        for code in sorted(blackouts)
        for first, last in blackouts[code]
    )


def planner_input(
    *,
    playbook: Playbook,
    regions: list[Region],
    teams: list[Team],
    extra_teams: int,
    start: date,
    blackouts: dict[str, list[tuple[date, date]]],
    time_limit_s: float,
) -> dict[str, Any]:
    """The planner's JSON input (the same form ``amparo plan`` reads) from the database.

    Stages already done in a region's rollout are left out and the region may start only
    after them (plus the gap of the stages that follow). Extra teams are hypothetical ones
    able to deliver every stage, for "what if we had one more team?"."""
    stages = list(playbook.stages.prefetch_related("prerequisites"))
    codes = {s.pk: s.code for s in stages}
    done_ends: dict[int, dict[str, date]] = {}
    for event in Event.objects.filter(
        rollout__playbook=playbook, rollout__region__in=regions, status=EventStatus.DONE
    ).select_related("rollout"):
        ends = done_ends.setdefault(event.rollout.region_id, {})
        day_after = event.ends_on + timedelta(days=1)
        ends[codes[event.stage_id]] = max(ends.get(codes[event.stage_id], day_after), day_after)
    region_rows = []
    for region in regions:
        done = done_ends.get(region.pk, {})
        earliest = start
        for stage in stages:
            if stage.code in done:
                continue
            for prerequisite in stage.prerequisites.all():
                if prerequisite.code in done:
                    gap = timedelta(days=stage.min_gap_days)
                    earliest = max(earliest, done[prerequisite.code] + gap)
        region_rows.append(
            {
                "code": region.code,
                "earliest": earliest.isoformat(),
                "blackouts": [
                    [a.isoformat(), b.isoformat()] for a, b in blackouts.get(region.code, [])
                ],
                "done": sorted(done),
            }
        )
    team_rows = [
        {
            "code": t.code,
            "stages": sorted(s.code for s in t.stages.all() if s.playbook_id == playbook.pk),
        }
        for t in teams
    ]
    team_rows += [
        {"code": f"{EXTRA_TEAM_PREFIX}{n}", "stages": sorted(codes.values())}
        for n in range(1, extra_teams + 1)
    ]
    travel: dict[str, dict[str, int]] = {}
    for row in TravelTime.objects.filter(
        origin__in=regions, destination__in=regions
    ).select_related("origin", "destination"):
        travel.setdefault(row.origin.code, {})[row.destination.code] = row.days
    return {
        "start": start.isoformat(),
        "regions": region_rows,
        "stages": [
            {
                "code": s.code,
                "days": s.typical_days,
                "after": sorted(codes[p.pk] for p in s.prerequisites.all()),
                "min_gap_days": s.min_gap_days,
            }
            for s in stages
        ],
        "teams": team_rows,
        "travel_days": travel,
        "time_limit_s": time_limit_s,
    }


# How often at most a running plan writes its progress and asks whether it was cancelled.
PROGRESS_EVERY_SECONDS = 1.0
# A running plan that has not written a sign of life for this long lost its worker (the
# planner's time limit is at most a minute and it writes every second or so).
STALE_AFTER = timedelta(minutes=3)
# A queued plan that no worker has taken for this long says so on its page.
NO_WORKER_AFTER = timedelta(minutes=1)


@transaction.atomic
def plan_run_queue(
    *,
    by: User,
    playbook: Playbook,
    raw_input: dict[str, Any],
    delay_model: delays.DelayModel,
    label: str = "",
) -> PlanRun:
    """Keep a run waiting for a worker (``tasks.run_plan`` plans it). Bad input raises
    ``ValidationError`` and keeps nothing."""
    try:
        planner.parse_plan_input(raw_input)
    except planner.PlanInputError as error:
        raise ValidationError(str(error)) from None
    return PlanRun.objects.create(
        created_by=by,
        playbook=playbook,
        label=label,
        input=raw_input,
        state=PlanRunState.QUEUED,
        delay_model={
            "minimum": delay_model.minimum,
            "most_likely": delay_model.most_likely,
            "maximum": delay_model.maximum,
            "runs": delay_model.runs,
        },
    )


class _Watch:
    """The planner's hooks for one run: progress written to the row and cancellation read
    from it, each at most every ``PROGRESS_EVERY_SECONDS`` (each is one UPDATE or SELECT,
    outside any transaction, so the page sees it at once)."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.cancelled = False
        self.written = self.asked = -PROGRESS_EVERY_SECONDS
        self.pending: tuple[date, date] | None = None

    def progress(self, finish: date, bound: date) -> None:
        self.pending = (finish, bound)
        if time.monotonic() - self.written >= PROGRESS_EVERY_SECONDS:
            self._write()

    def _write(self) -> None:
        fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
        if self.pending:
            fields["best_finish"], fields["proven_bound"] = self.pending
            self.pending = None
        PlanRun.objects.filter(pk=self.run_id).update(**fields)
        self.written = time.monotonic()

    def should_stop(self) -> bool:
        if self.cancelled:
            return True
        if time.monotonic() - self.asked >= PROGRESS_EVERY_SECONDS:
            self.asked = time.monotonic()
            self.cancelled = PlanRun.objects.filter(pk=self.run_id, cancel_requested=True).exists()
            self._write()  # a sign of life, and any progress held back
        return self.cancelled


def plan_run_execute(*, run_id: int) -> PlanRun:
    """Plan a queued run, writing its progress as it goes; simulate delays and keep the
    answer. Not one transaction: progress must be seen while it plans. A run cancelled
    while it plans keeps the best schedule found by then; any error fails the run with a
    reason (and is logged), never leaving it running."""
    now = timezone.now()
    claimed = PlanRun.objects.filter(pk=run_id, state=PlanRunState.QUEUED).update(
        state=PlanRunState.RUNNING, started_at=now, heartbeat_at=now
    )
    run = PlanRun.objects.get(pk=run_id)
    if not claimed:  # cancelled before a worker took it, or taken already
        return run
    watch = _Watch(run_id)
    try:
        plan = planner.parse_plan_input(run.input)
        result = planner.plan_rollout(plan, progress=watch.progress, should_stop=watch.should_stop)
        model = run.delay_model
        outcome = delays.simulate_delays(
            plan,
            result.events,
            delays.DelayModel(model["minimum"], model["most_likely"], model["maximum"],
                              model.get("runs", 500)),
        )  # fmt: skip
        helps = [] if watch.should_stop() else whatif.ranked(
            plan, result, should_stop=watch.should_stop
        )  # fmt: skip
    except Exception:
        logger.exception("plan run %s failed", run_id)
        PlanRun.objects.filter(pk=run_id).update(
            state=PlanRunState.FAILED,
            failure=PlanRun.FAILED_ERROR,
            finished_at=timezone.now(),
        )
        return PlanRun.objects.get(pk=run_id)
    PlanRun.objects.filter(pk=run_id).update(
        state=PlanRunState.CANCELLED if watch.cancelled else PlanRunState.DONE,
        result={
            **planner.result_to_json(result),
            "solve_seconds": round(result.solve_seconds, 2),
            "what_ifs": [w.to_json() for w in helps],
        },
        best_finish=result.finish,
        proven_bound=result.lower_bound,
        p50_finish=outcome.p50,
        p90_finish=outcome.p90,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    return PlanRun.objects.get(pk=run_id)


def plan_run_cancel(*, run: PlanRun) -> PlanRun:
    """A waiting run is cancelled at once; a running one is asked to stop (its worker ends
    it with the best schedule found so far). A finished run stays as it is."""
    if run.state == PlanRunState.QUEUED:
        PlanRun.objects.filter(pk=run.pk, state=PlanRunState.QUEUED).update(
            state=PlanRunState.CANCELLED, finished_at=timezone.now()
        )
    PlanRun.objects.filter(pk=run.pk, state=PlanRunState.RUNNING).update(cancel_requested=True)
    run.refresh_from_db()
    return run


def plan_run_waiting_long(run: PlanRun) -> bool:
    """Queued for longer than ``NO_WORKER_AFTER``: no worker seems to be taking tasks."""
    return run.state == PlanRunState.QUEUED and timezone.now() - run.created_at > NO_WORKER_AFTER


def plan_run_check_alive(*, run: PlanRun) -> PlanRun:
    """A run left running by a worker that died (no sign of life for ``STALE_AFTER``) is
    failed when it is read, so its page stops waiting."""
    if run.state != PlanRunState.RUNNING:
        return run
    since = run.heartbeat_at or run.started_at or run.created_at
    if timezone.now() - since < STALE_AFTER:
        return run
    PlanRun.objects.filter(pk=run.pk, state=PlanRunState.RUNNING).update(
        state=PlanRunState.FAILED,
        failure=PlanRun.FAILED_STALE,
        finished_at=timezone.now(),
    )
    run.refresh_from_db()
    return run


@transaction.atomic
def plan_apply(*, run: PlanRun, by: User) -> int:
    """Turn a plan into planned events in each region's rollout (created if missing), in
    one transaction. Refused when a region already has a planned or done event for a
    stage the plan schedules there, so nothing is planned twice."""
    if run.state != PlanRunState.DONE:
        raise ValidationError(_("Only a finished plan can be turned into events."))
    if run.applied_at:
        raise ValidationError(_("This plan was already turned into events."))
    events = run.plan_result.events
    regions = {r.code: r for r in Region.objects.filter(code__in={e.region for e in events})}
    stages = {s.code: s for s in run.playbook.stages.all()}
    teams = {t.code: t for t in Team.objects.filter(code__in={e.team for e in events})}
    clashes = Event.objects.filter(
        rollout__playbook=run.playbook,
        rollout__region__in=regions.values(),
        status__in=[EventStatus.PLANNED, EventStatus.DONE],
    ).select_related("rollout__region", "stage")
    taken = {(e.rollout.region.code, e.stage.code) for e in clashes}
    overlap = sorted(f"{e.region} / {e.stage}" for e in events if (e.region, e.stage) in taken)
    if overlap:
        raise ValidationError(
            _("These stages already have events: %(list)s. Cancel them or plan again.")
            % {"list": ", ".join(overlap)}
        )
    rollouts = {}
    for code, region in regions.items():
        rollouts[code], _created = Rollout.objects.get_or_create(
            region=region, playbook=run.playbook, defaults={"started_on": run.plan_result.start}
        )
    created = [
        Event(
            rollout=rollouts[e.region],
            stage=stages[e.stage],
            status=EventStatus.PLANNED,
            starts_on=e.start,
            ends_on=e.last_day,
            city=regions[e.region].capital,
            team=teams.get(e.team),
            notes=_("Planned by the rollout planner (plan %(id)s).") % {"id": run.pk},
        )
        for e in sorted(events, key=lambda e: e.start)
    ]
    for event in created:
        event.full_clean()
    Event.objects.bulk_create(created)
    run.applied_at = timezone.now()
    run.save(update_fields=["applied_at"])
    return len(created)
