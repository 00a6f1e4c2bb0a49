"""Read-side functions for church-track pages; each issues a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.accounts.models import User
from amparo.disclosure import track
from amparo.disclosure.release import Release
from amparo.rollout import progress, travel
from amparo.rollout.models import (
    Attendance,
    Blackout,
    Event,
    EventStatus,
    GroupStatus,
    Playbook,
    RecoveryGroup,
    Rollout,
    Stage,
    StageKind,
    Team,
    TravelTime,
)
from amparo.territory.models import OrganizationKind, Region


def stage_specs(stages: Iterable[Stage]) -> list[progress.StageSpec]:
    """Stages (with prerequisites prefetched) as plain values for ``progress``."""
    stages = list(stages)
    codes = {s.pk: s.code for s in stages}
    return [
        progress.StageSpec(
            s.code, s.order, tuple(codes[p.pk] for p in s.prerequisites.all()), s.min_gap_days
        )
        for s in stages
    ]


def event_specs(events: Iterable[Event], codes: dict[int, str]) -> list[progress.EventSpec]:
    return [progress.EventSpec(codes[e.stage_id], e.status, e.starts_on, e.ends_on) for e in events]


def stage_states(stages: list[Stage], events: Iterable[Event]) -> list[progress.StageState]:
    """The state of each of a rollout's ``stages`` (in order, prerequisites prefetched) given
    its ``events``: what its board, the program overview and the API show."""
    codes = {s.pk: s.code for s in stages}
    return progress.stage_states(stage_specs(stages), event_specs(events, codes))


def playbook_with_stages(playbook_qs: QuerySet[Playbook]) -> QuerySet[Playbook]:
    return playbook_qs.prefetch_related(
        Prefetch("stages", queryset=Stage.objects.prefetch_related("prerequisites"))
    )


@dataclass
class BoardRow:
    stage: Stage
    state: progress.StageState
    events: list[Event]
    waiting_for: list[Stage]


@dataclass
class Board:
    rollout: Rollout
    rows: list[BoardRow]
    groups: list[RecoveryGroup]

    @property
    def next_row(self) -> BoardRow | None:
        """The first stage, in order, that is not done yet."""
        return next((r for r in self.rows if r.state.state != progress.DONE), None)


def rollout_board(rollout: Rollout) -> Board:
    """The status board of a rollout: every stage with its state, events and blockers."""
    stages = list(rollout.playbook.stages.prefetch_related("prerequisites"))
    by_code = {s.code: s for s in stages}
    events = list(rollout.events.select_related("team").order_by("starts_on", "pk"))
    states = stage_states(stages, events)
    per_stage: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        per_stage[event.stage_id].append(event)
    rows = [
        BoardRow(
            stage=by_code[state.code],
            state=state,
            events=per_stage[by_code[state.code].pk],
            waiting_for=[by_code[c] for c in state.waiting_for],
        )
        for state in states
    ]
    groups = list(
        rollout.groups.select_related("church").annotate(last_month=Max("reports__month"))
    )
    return Board(rollout, rows, groups)


@dataclass
class AttendanceSummary:
    rows: list[Attendance]
    pastors: int
    leaders: int
    others: int
    churches: int
    warnings: list[progress.CapacityWarning] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.pastors + self.leaders + self.others


def event_attendance(event: Event) -> AttendanceSummary:
    """An event's attendance rows, totals and the capacity limits it goes over."""
    rows = list(event.attendance.select_related("organization"))
    pastors = sum(r.pastors for r in rows)
    churches = sum(1 for r in rows if r.organization.kind == OrganizationKind.CHURCH)
    summary = AttendanceSummary(
        rows=rows,
        pastors=pastors,
        leaders=sum(r.leaders for r in rows),
        others=sum(r.others for r in rows),
        churches=churches,
    )
    summary.warnings = progress.capacity_warnings(
        max_pastors=event.stage.max_pastors,
        max_churches=event.stage.max_churches,
        pastors=pastors,
        churches=churches,
    )
    return summary


@dataclass
class RegionProgress:
    """One line of the program page. Its counts are as the reader may see them (see
    ``program_overview``)."""

    region: Region
    rollout: Rollout | None
    stage_reached: Stage | None = None
    next_stage: Stage | None = None
    stages_done: int = 0
    stages_total: int = 0
    pastors_trained: int | str = 0
    churches_represented: int | str = 0
    groups_launched: int | str = 0
    groups_active: int | str = 0


def training_attendance_by_month(**rollout_filter: object) -> QuerySet:
    """Attendance at done leader trainings grouped by region (``event__rollout__region``)
    and the month a training ends (``month``), ready for a count to be annotated: the one
    definition the program page and the church-track indicators share."""
    return (
        Attendance.objects.filter(
            event__status=EventStatus.DONE,
            event__stage__kind=StageKind.LEADER_TRAINING,
            **{f"event__rollout__{k}": v for k, v in rollout_filter.items()},
        )
        .annotate(month=TruncMonth("event__ends_on"))
        .values("event__rollout__region", "month")
    )


def withhold(lines: list[RegionProgress], release: Release) -> None:
    """Show the program's lines as ``release`` lets their reader see them: a hidden count
    (small, or one that would give a hidden monthly point or event total back) is the
    marker."""
    for line in lines:
        code = line.region.code
        for what in ("pastors_trained", "churches_represented", "groups_launched", "groups_active"):
            setattr(line, what, release.shown(track.track_cell(code, what), getattr(line, what)))


def program_overview(
    regions: QuerySet[Region], *, release: Release | None = None
) -> list[RegionProgress]:
    """Every visible region side by side: stage reached, pastors trained at done leader
    trainings, churches represented there, groups launched and active. Regions without a
    rollout appear as not started. With a ``release`` (the reader's protection), its hidden
    counts show as the marker (``withhold``)."""
    regions = list(regions.order_by("name"))
    rollouts = list(
        Rollout.objects.filter(region__in=regions)
        .select_related("playbook")
        .prefetch_related(
            Prefetch("playbook__stages", queryset=Stage.objects.prefetch_related("prerequisites"))
        )
        .order_by("pk")
    )
    events_by_rollout: dict[int, list[Event]] = defaultdict(list)
    for event in Event.objects.filter(rollout__in=rollouts).only(
        "rollout_id", "stage_id", "status", "starts_on", "ends_on"
    ):
        events_by_rollout[event.rollout_id].append(event)
    training = {
        row["event__rollout"]: row
        for row in Attendance.objects.filter(
            event__rollout__in=rollouts,
            event__status=EventStatus.DONE,
            event__stage__kind=StageKind.LEADER_TRAINING,
        )
        .values("event__rollout")
        .annotate(
            pastors=Sum("pastors"),
            churches=Count(
                "organization", distinct=True, filter=Q(organization__kind=OrganizationKind.CHURCH)
            ),
        )
    }
    groups = {
        row["rollout"]: row
        for row in RecoveryGroup.objects.filter(rollout__in=rollouts)
        .values("rollout")
        .annotate(launched=Count("pk"), active=Count("pk", filter=Q(status=GroupStatus.ACTIVE)))
    }
    lines = []
    covered = set()
    for rollout in rollouts:
        stages = list(rollout.playbook.stages.all())
        by_code = {s.code: s for s in stages}
        states = stage_states(stages, events_by_rollout[rollout.pk])
        reached = progress.stage_reached(states)
        next_state = next((s for s in states if s.state != progress.DONE), None)
        lines.append(
            RegionProgress(
                region=next(r for r in regions if r.pk == rollout.region_id),
                rollout=rollout,
                stage_reached=by_code.get(reached) if reached else None,
                next_stage=by_code[next_state.code] if next_state else None,
                stages_done=sum(1 for s in states if s.state == progress.DONE),
                stages_total=len(states),
                pastors_trained=training.get(rollout.pk, {}).get("pastors") or 0,
                churches_represented=training.get(rollout.pk, {}).get("churches") or 0,
                groups_launched=groups.get(rollout.pk, {}).get("launched", 0),
                groups_active=groups.get(rollout.pk, {}).get("active", 0),
            )
        )
        covered.add(rollout.region_id)
    lines += [RegionProgress(region=r, rollout=None) for r in regions if r.pk not in covered]
    if release is not None and release.hidden:
        withhold(lines, release)
    return sorted(lines, key=lambda line: line.region.name)


def region_rollouts(region: Region) -> list[Rollout]:
    return list(region.rollouts.select_related("playbook"))


def events_for_calendar(regions: QuerySet[Region]) -> QuerySet[Event]:
    """Planned and done events of the given regions for an iCalendar feed."""
    return (
        Event.objects.filter(rollout__region__in=regions)
        .exclude(status=EventStatus.CANCELLED)
        .select_related("stage", "rollout__region", "team")
        .order_by("starts_on")
    )


def rollout_or_404(user: User, region: Region, pk: int) -> Rollout:
    access.require(user, Capability.VIEW, region)
    rollouts = Rollout.objects.select_related("playbook", "region").filter(region=region, pk=pk)
    return access.first_or_404(rollouts)


def rollout_by_id_or_404(user: User, pk: int) -> Rollout:
    """A rollout looked up by its id alone (the API), visible exactly as on its pages."""
    return rollout_or_404(user, access.first_or_404(Region.objects.filter(rollouts__pk=pk)), pk)


def event_or_404(user: User, region: Region, pk: int) -> Event:
    access.require(user, Capability.VIEW, region)
    events = Event.objects.select_related("stage", "rollout__playbook", "team").filter(
        rollout__region=region, pk=pk
    )
    return access.first_or_404(events)


def event_by_id_or_404(user: User, pk: int) -> Event:
    """An event looked up by its id alone (the API), visible exactly as on its pages."""
    region = access.first_or_404(Region.objects.filter(rollouts__events__pk=pk))
    return event_or_404(user, region, pk)


def group_or_404(user: User, region: Region, pk: int) -> RecoveryGroup:
    access.require(user, Capability.VIEW, region)
    groups = RecoveryGroup.objects.select_related("church", "rollout", "launch_event").filter(
        rollout__region=region, pk=pk
    )
    return access.first_or_404(groups)


# --- church-track settings ---------------------------------------------------------------


def teams_for_settings(regions: QuerySet[Region] | None = None) -> list[Team]:
    """Delivery teams with their home region and stages (by playbook), each with
    ``active_events`` (planned or done events it delivers); ``regions`` limits them to
    teams based there (a coordinator's view). Two queries."""
    teams = (
        Team.objects.select_related("home_region")
        .prefetch_related(Prefetch("stages", queryset=Stage.objects.select_related("playbook")))
        .annotate(active_events=Count("events", filter=~Q(events__status=EventStatus.CANCELLED)))
        .order_by("name", "code")
    )
    if regions is not None:
        teams = teams.filter(home_region__in=regions)
    return list(teams)


@dataclass
class TravelCell:
    origin: Region
    destination: Region
    days: int | None  # stored
    suggestion: int | None  # from the capitals' coordinates; None: no coordinates
    reverse: int | None = None  # stored the other way round

    @property
    def is_diagonal(self) -> bool:
        return self.origin.pk == self.destination.pk

    @property
    def missing(self) -> bool:
        """No travel time either way: the planner counts none."""
        return not self.is_diagonal and self.days is None and self.reverse is None

    @property
    def key(self) -> str:
        return f"{self.origin.code}:{self.destination.code}"


@dataclass
class TravelMatrix:
    rows: list[list[TravelCell]]
    columns: list[Region]
    days: dict[tuple[str, str], int]
    missing: list[tuple[Region, Region]]

    @property
    def suggestions(self) -> dict[tuple[str, str], int]:
        """The suggested days of each pair shown, by (origin code, destination code)."""
        return {
            (c.origin.code, c.destination.code): c.suggestion
            for row in self.rows
            for c in row
            if c.suggestion is not None
        }

    @property
    def symmetric(self) -> bool:
        return all(self.days.get((b, a), d) == d for (a, b), d in self.days.items())


def travel_matrix(columns: list[Region], rows: list[Region] | None = None) -> TravelMatrix:
    """The stored travel times between ``columns`` (every region in the editor) as a
    matrix, rows ``rows`` (default the same regions; a coordinator sees their own), with
    the suggestion of each pair and the pairs with no travel time either way. One query."""
    rows = columns if rows is None else rows
    by_pk = {r.pk: r for r in columns}
    days = {
        (by_pk[o].code, by_pk[d].code): n
        for o, d, n in TravelTime.objects.filter(
            origin__in=columns, destination__in=columns
        ).values_list("origin_id", "destination_id", "days")
    }
    grid = [
        [
            TravelCell(
                origin=a,
                destination=b,
                days=days.get((a.code, b.code)),
                suggestion=None
                if a.pk == b.pk
                else travel.suggestion(a.capital_point, b.capital_point),
                reverse=days.get((b.code, a.code)),
            )
            for b in columns
        ]
        for a in rows
    ]
    by_code = {r.code: r for r in columns}
    row_codes = {r.code for r in rows}
    missing = [
        (by_code[a], by_code[b])
        for a, b in travel.missing_pairs([r.code for r in columns], days)
        if a in row_codes or b in row_codes
    ]
    return TravelMatrix(rows=grid, columns=list(columns), days=days, missing=missing)


def region_blackouts(region: Region) -> list[Blackout]:
    """A region's blackout periods, first first. One query."""
    return list(Blackout.objects.filter(region=region).order_by("first_day", "pk"))


@dataclass
class PlannerSettings:
    """What the planner reads from the settings, as its page shows it."""

    teams: int
    regions: list[Region]
    missing_travel: list[tuple[Region, Region]]
    blackouts: dict[int, int]  # region pk -> blackout periods (one-off and yearly)
    yearly: dict[int, int]  # region pk -> of which every year


def planner_settings(regions: list[Region]) -> PlannerSettings:
    """The teams, the pairs of ``regions`` with no travel time and each region's blackout
    periods, read directly from what the settings pages store. Three queries."""
    by_code = {r.code: r for r in regions}
    days = dict.fromkeys(
        TravelTime.objects.filter(origin__in=regions, destination__in=regions).values_list(
            "origin__code", "destination__code"
        ),
        1,
    )
    counts = {
        row["region"]: row
        for row in Blackout.objects.filter(region__in=regions)
        .values("region")
        .annotate(n=Count("pk"), yearly=Count("pk", filter=Q(every_year=True)))
    }
    return PlannerSettings(
        teams=Team.objects.count(),
        regions=list(regions),
        missing_travel=[
            (by_code[a], by_code[b]) for a, b in travel.missing_pairs(list(by_code), days)
        ],
        blackouts={pk: row["n"] for pk, row in counts.items()},
        yearly={pk: row["yearly"] for pk, row in counts.items()},
    )
