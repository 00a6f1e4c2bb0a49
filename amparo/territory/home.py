"""What the home page reads for the person signed in: the work that needs them (next steps
and measures they own, events coming up in their regions, imports waiting for their
confirmation, regions ready to start) and where the program stands (the map). Everything
goes through ``access`` and the apps' scoped lookups; each part takes a fixed number of
queries whatever the number of regions, steps, measures and events."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet
from django.urls import reverse

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.assessment import scoring
from amparo.assessment.models import Assessment, Finding
from amparo.imports.kinds import kind_of
from amparo.imports.models import ImportJob, JobStatus
from amparo.mitigation import lifecycle
from amparo.mitigation.models import Measure
from amparo.mitigation.queries import measures_followed
from amparo.partnerships.models import NextStep
from amparo.partnerships.queries import my_open_steps
from amparo.rollout import queries as rollout_queries
from amparo.rollout.models import Event, EventStatus
from amparo.territory import tilemap
from amparo.territory.models import Region

HORIZON_DAYS = 30  # "upcoming": due or starting within this many days
LIST_LIMIT = 8  # lines per list on the home; the full lists have pages of their own


@dataclass
class Work:
    """The lists of the home page, each at most ``LIST_LIMIT`` long, with the full count."""

    overdue_steps: list[NextStep] = field(default_factory=list)
    upcoming_steps: list[NextStep] = field(default_factory=list)
    overdue_measures: list[Measure] = field(default_factory=list)
    upcoming_measures: list[Measure] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    imports: list[ImportJob] = field(default_factory=list)
    ready_regions: list[Region] = field(default_factory=list)
    more: dict[str, int] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.overdue_steps,
                self.upcoming_steps,
                self.overdue_measures,
                self.upcoming_measures,
                self.events,
                self.imports,
                self.ready_regions,
            )
        )


def _split(rows: list, today: date) -> tuple[list, list]:
    return [r for r in rows if r.due_on < today], [r for r in rows if r.due_on >= today]


def _cut(work: Work, name: str, rows: list) -> list:
    work.more[name] = max(len(rows) - LIST_LIMIT, 0)
    return rows[:LIST_LIMIT]


def my_work(user: User, today: date) -> Work:
    """What needs ``user`` from ``today`` to ``HORIZON_DAYS`` later (overdue work first)."""
    horizon = today + timedelta(days=HORIZON_DAYS)
    work = Work()
    steps = list(my_open_steps(user).filter(due_on__lte=horizon)[: 2 * LIST_LIMIT + 1])
    overdue, upcoming = _split(steps, today)
    work.overdue_steps = _cut(work, "overdue_steps", overdue)
    work.upcoming_steps = _cut(work, "upcoming_steps", upcoming)
    measures = list(
        measures_followed(user)
        .filter(status__in=lifecycle.OPEN, due_on__lte=horizon)
        .select_related("region", "sector")
        .order_by("due_on", "pk")[: 2 * LIST_LIMIT + 1]
    )
    overdue, upcoming = _split(measures, today)
    work.overdue_measures = _cut(work, "overdue_measures", overdue)
    work.upcoming_measures = _cut(work, "upcoming_measures", upcoming)
    events = (
        Event.objects.filter(
            rollout__region__in=access.regions_visible(user),
            starts_on__gte=today,
            starts_on__lte=horizon,
        )
        .exclude(status=EventStatus.CANCELLED)
        .select_related("stage", "rollout__region")
        .order_by("starts_on", "pk")
    )
    work.events = _cut(work, "events", list(events[: LIST_LIMIT + 1]))
    work.imports = _cut(work, "imports", waiting_imports(user))
    if access.is_program_admin(user):
        ready = Region.objects.filter(rollouts__isnull=True).order_by("name")
        work.ready_regions = _cut(work, "ready_regions", list(ready[: LIST_LIMIT + 1]))
    return work


def waiting_imports(user: User) -> list[ImportJob]:
    """Imports ``user`` uploaded that were checked and wait for their confirmation, in the
    regions where they may still confirm them (one query)."""
    jobs = ImportJob.objects.filter(
        created_by=user, status=JobStatus.READY, region__in=access.regions_visible(user)
    ).select_related("region")
    waiting = [
        job
        for job in jobs.order_by("created_at")[: 4 * LIST_LIMIT]
        if access.can(user, kind_of(job).capability, job.region)
    ]
    for job in waiting:
        job.page = job_page(job)
    return waiting


def job_page(job: ImportJob) -> str:
    """The address of a job's page, which depends on its kind."""
    if job.target_id is not None:  # field answers, into an assessment round
        return reverse("import-job", args=[job.region.code, job.target_id, job.pk])
    return reverse("indicator-import-job", args=[job.region.code, job.pk])


# --- where the program stands: the map ---

CHURCH_NONE, CHURCH_STARTED, CHURCH_HALF, CHURCH_DONE = "none", "started", "half", "done"


@dataclass(frozen=True)
class MapTile:
    tile: tilemap.Tile
    region: Region
    church: str  # one of the CHURCH_* codes
    stage: object | None  # the stage reached (a rollout Stage), if any
    stages: str  # "2/4", or "" without a rollout
    risk: scoring.LevelSpec | None  # highest level among the latest round's findings


@dataclass(frozen=True)
class ProgramMap:
    tiles: list[MapTile]
    width: int
    height: int
    levels: list[scoring.LevelSpec]  # the risk levels shown, lowest first, for the legend


def church_state(done: int, total: int, started: bool) -> str:
    """The church-track colour of a region from its stages done."""
    if not started:
        return CHURCH_NONE
    if total and done >= total:
        return CHURCH_DONE
    if total and 2 * done >= total:
        return CHURCH_HALF
    return CHURCH_STARTED


def highest_risks(user: User, regions: list[Region]) -> dict[int, scoring.LevelSpec]:
    """Per region, the highest risk level among the findings of its latest round that
    ``user`` may read (residual rating when there is one). Two queries."""
    latest: dict[int, Assessment] = {}
    for assessment in (
        Assessment.objects.filter(region__in=regions)
        .select_related("matrix")
        .order_by("region_id", "-number")
    ):
        latest.setdefault(assessment.region_id, assessment)
    found: dict[int, scoring.LevelSpec] = {}
    specs = {a.pk: a.matrix.spec() for a in latest.values()}
    by_round = {a.pk: a.region_id for a in latest.values()}
    findings = Finding.objects.filter(assessment__in=list(latest.values())).filter(
        access.sector_scope(user, regions, region_field="assessment__region")
    )
    for finding in findings.only(
        "assessment_id",
        "inherent_likelihood",
        "inherent_impact",
        "residual_likelihood",
        "residual_impact",
    ):
        level = scoring.risk_level(
            specs[finding.assessment_id], *(finding.residual or finding.inherent)
        )
        region_id = by_round[finding.assessment_id]
        if region_id not in found or level.rank > found[region_id].rank:
            found[region_id] = level
    return found


def place(regions: list[Region]) -> dict[str, tilemap.Tile]:
    """Each region's tile: by its capital for the regions whose capital has coordinates
    (one grid per country, one below the other), in rows of six below them for the others."""
    by_country: dict[str, list[Region]] = defaultdict(list)
    for region in regions:
        by_country[region.country].append(region)
    placed: dict[str, tilemap.Tile] = {}
    for _country, members in sorted(by_country.items()):
        known = {r.code: r.capital_point for r in members if r.capital_point is not None}
        top = max((t.row for t in placed.values()), default=-1) + 1
        for tile in tilemap.tile_grid(known):
            placed[tile.code] = tilemap.Tile(tile.code, tile.row + top, tile.col)
    bottom = max((t.row for t in placed.values()), default=-1) + 1
    unplaced = sorted(r.code for r in regions if r.code not in placed)
    for col, code in enumerate(unplaced):
        placed[code] = tilemap.Tile(code, bottom + col // 6, col % 6)
    return placed


@dataclass(frozen=True)
class PlanTile:
    tile: tilemap.Tile
    region: Region
    order: int | None  # the region's place in the plan (by its first event), from 1
    teams: str  # the teams that run its events, comma-separated


@dataclass(frozen=True)
class PlanMap:
    tiles: list[PlanTile]
    width: int
    height: int


def plan_map(regions: list[Region], events: list[tilemap.PlanStep]) -> PlanMap:
    """A planner result on the tile grid: each region's place in the order and its teams."""
    placed = place(regions)
    orders = tilemap.plan_order(events)
    tiles = [
        PlanTile(
            placed[r.code],
            r,
            orders[r.code][0] if r.code in orders else None,
            ", ".join(orders[r.code][1]) if r.code in orders else "",
        )
        for r in regions
    ]
    tiles.sort(key=lambda t: (t.tile.row, t.tile.col))
    width, height = tilemap.size([t.tile for t in tiles])
    return PlanMap(tiles, width, height)


def program_map(
    user: User,
    regions: QuerySet[Region],
    lines: list[rollout_queries.RegionProgress] | None = None,
) -> ProgramMap:
    """The visible regions on the tile grid with their church-track and government-track
    states (``lines``: the program overview of ``regions`` when the caller has it).
    Regions whose capital the pack does not place go in a row below the others."""
    if lines is None:
        lines = rollout_queries.program_overview(regions)
    listed = [line.region for line in lines]
    risks = highest_risks(user, listed)
    placed = place(listed)
    tiles = []
    for line in lines:
        tiles.append(
            MapTile(
                tile=placed[line.region.code],
                region=line.region,
                church=church_state(line.stages_done, line.stages_total, line.rollout is not None),
                stage=line.stage_reached,
                stages=f"{line.stages_done}/{line.stages_total}" if line.rollout else "",
                risk=risks.get(line.region.pk),
            )
        )
    tiles.sort(key=lambda t: (t.tile.row, t.tile.col))
    levels = sorted({t.risk.code: t.risk for t in tiles if t.risk}.values(), key=lambda x: x.rank)
    width, height = tilemap.size([t.tile for t in tiles])
    return ProgramMap(tiles, width, height, levels)
