"""What an executive summary says, gathered from the same query functions as the pages
(the dashboard, the rollout board, the round summary, the systemic view of measures, the
next steps), each asked with the reader's access, so a report can never disagree with the
screen nor show a reader more than the screen does."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.assessment import queries as assessment_queries
from amparo.assessment import scoring
from amparo.assessment.models import Assessment, Finding
from amparo.assessment.scoring import DEFAULT_MATRIX
from amparo.assessment.services import describe_issue
from amparo.disclosure.release import Release, report_release
from amparo.indicators.dashboard import Dashboard, chart_for, dashboard
from amparo.mitigation import queries as mitigation_queries
from amparo.mitigation.models import Measure, MeasureKind
from amparo.partnerships import queries as partnership_queries
from amparo.partnerships.models import NextStep
from amparo.policy.queries import Alignment, policy_alignment
from amparo.rollout.models import PlanRun
from amparo.territory import queries as territory_queries
from amparo.territory.home import ProgramMap, program_map
from amparo.territory.models import Contact, Region, Sector

PROBLEM_LINES = 8  # open problems listed per region; the rest are counted
TOP_FINDINGS = 5  # highest-risk findings listed per region
STEP_LINES = 10
RECENT_LINES = 12  # measures changed in the period, listed per region; the rest are counted


@dataclass
class SectorMeasures:
    sector: Sector
    by_kind: list[tuple[str, list[tuple[str, int]]]]


@dataclass
class StepLine:
    step: NextStep
    contacts: list[Contact]


@dataclass
class RegionPart:
    region: Region
    sectors: list[SectorMeasures] = field(default_factory=list)
    coverage: list[assessment_queries.SectorLine] = field(default_factory=list)
    top_findings: list[tuple[Finding, scoring.LevelSpec]] = field(default_factory=list)
    issues: int = 0
    problems: list[str] = field(default_factory=list)
    more_problems: int = 0
    more_recent: int = 0
    recent: list[Measure] = field(default_factory=list)
    open_steps: list[StepLine] = field(default_factory=list)
    plan_finish: date | None = None


@dataclass
class Summary:
    levels: list[object]
    title_region: Region | None
    donor: bool  # for donors or the public: k_public for everyone, no contact details
    generated: date
    since: date | None
    board: Dashboard
    charts: list[tuple[object, str]]
    parts: list[RegionPart]
    plan_finish: date | None
    release: Release | None = None  # what the reader's counts hide (``amparo.disclosure``)
    alignment: Alignment | None = None  # how the measures serve the national policy
    map: ProgramMap | None = None  # the tile-grid map, for a summary of several regions


def round_start(regions: list[Region]) -> date | None:
    """When the current assessment rounds of ``regions`` began (the earliest of them): the
    period a first report covers."""
    latest: dict[int, date] = {}
    for region_id, started_on in (
        Assessment.objects.filter(region__in=regions)
        .order_by("region", "-number")
        .values_list("region", "started_on")
    ):
        latest.setdefault(region_id, started_on)
    return min(latest.values(), default=None)


def plan_finishes(codes: list[str]) -> tuple[date | None, dict[str, date]]:
    """The finish of the newest plan turned into events, and for each region in ``codes``
    its finish in the newest such plan that includes it."""
    overall = None
    per_region: dict[str, date] = {}
    for run in PlanRun.objects.filter(applied_at__isnull=False).order_by("-applied_at", "-pk"):
        result = run.plan_result
        if overall is None:
            overall = result.finish
        for code in codes:
            if code not in per_region and (finish := result.region_finish(code)):
                per_region[code] = finish
        if len(per_region) == len(codes):
            break
    return overall, per_region


def _measure_cells(view: mitigation_queries.SystemicView) -> list[SectorMeasures]:
    """The systemic view's counts as the summary prints them: per sector and kind, the
    statuses that have measures."""
    kinds = dict(MeasureKind.choices)
    rows = []
    for row in view.rows:
        cells = [
            (
                kinds[kind],
                [(label, counts[value]) for value, label in view.statuses if counts.get(value)],
            )
            for kind, counts in row.cells
        ]
        if any(counts for _kind, counts in cells):
            rows.append(SectorMeasures(row.sector, cells))
    return rows


def region_part(
    user: User,
    region: Region,
    *,
    donor: bool,
    since: date | None,
    today: date,
    plan_finish: date | None,
) -> RegionPart:
    """One region's part of the summary, limited to the sectors ``user`` may read."""
    part = RegionPart(region, plan_finish=plan_finish)
    sectors = territory_queries.sectors_visible(user, region)
    measures = mitigation_queries.measures_visible(user, region)
    part.sectors = _measure_cells(mitigation_queries.systemic_view(region, measures, sectors))
    problems: list[str] = []
    latest = region.assessments.select_related("matrix", "region").order_by("-number").first()
    if latest:
        findings = assessment_queries.findings_visible(user, latest)
        summary = assessment_queries.round_summary(latest, findings, None, sectors)
        part.coverage = summary.lines
        part.issues = len(summary.issues)
        problems += [describe_issue(issue) for issue in summary.issues]
        spec = latest.matrix.spec()
        rated = [(f, scoring.risk_level(spec, *(f.residual or f.inherent))) for f in findings]
        rated.sort(key=lambda pair: (-pair[1].rank, pair[0].sector.code, pair[0].threat.code))
        part.top_findings = rated[:TOP_FINDINGS]
    for measure in mitigation_queries.overdue(measures, today).select_related("sector"):
        problems.append(
            _("%(sector)s: the measure “%(title)s” was due on %(date)s.")
            % {"sector": measure.sector.code, "title": measure.title, "date": measure.due_on}
        )
    part.problems = problems[:PROBLEM_LINES]
    part.more_problems = len(problems) - len(part.problems)
    if since:
        changed = list(
            measures.filter(moves__at__date__gte=since)
            .distinct()
            .select_related("sector")
            .order_by("sector__code", "title")
        )
        part.recent = changed[:RECENT_LINES]
        part.more_recent = len(changed) - len(part.recent)
    if not donor:
        steps = partnership_queries.open_steps(
            NextStep.objects.filter(meeting__region=region)
        ).prefetch_related(Prefetch("meeting__contacts", queryset=Contact.objects.order_by("name")))
        part.open_steps = [
            StepLine(step, list(step.meeting.contacts.all())) for step in steps[:STEP_LINES]
        ]
    return part


def executive_summary(
    regions: QuerySet[Region], *, user: User, donor: bool, since: date | None
) -> Summary:
    """Everything an executive summary shows for ``regions`` (one, or all the user sees),
    as ``user`` may read it, with the counts the user's release hides hidden. ``donor``
    (for donors or the public) uses the public audience's release whoever asks (the higher
    k, nobody's details) and leaves out contact details, as does a reader who may not see
    the regions' details. ``since`` starts the period the report covers (what was done
    since then); without it, the period starts with the current round."""
    release = report_release(user, donor=donor)
    restricted = donor or not access.sees_small_counts(user, regions)
    board = dashboard(regions, user=user, release=release)
    levels = next((line.risk.levels for line in board.lines if line.risk.levels), None)
    names = [level for level, _n in levels] if levels else list(DEFAULT_MATRIX.levels)
    for line in board.lines:
        if not line.risk.levels:
            line.risk.levels = [(level, 0) for level in names]
    rendered = []
    for view in board.indicators:
        if view.is_count and isinstance(view.current, float):
            view.current = round(view.current)
        rendered.append((view, chart_for(view, width=520, height=170)))
    parts = []
    region_list = list(regions.order_by("name"))
    period_start = since or round_start(region_list)
    overall, finishes = plan_finishes([r.code for r in region_list])
    today = timezone.localdate()
    for region in region_list:
        parts.append(
            region_part(
                user,
                region,
                donor=restricted,
                since=period_start,
                today=today,
                plan_finish=finishes.get(region.code),
            )
        )
    title_region = region_list[0] if len(region_list) == 1 else None
    return Summary(
        levels=names,
        title_region=title_region,
        donor=donor,
        release=release,
        generated=today,
        since=period_start,
        board=board,
        charts=rendered,
        parts=parts,
        plan_finish=parts[0].plan_finish if title_region else overall,
        alignment=policy_alignment(user, region_list),
        map=None if title_region else program_map(user, regions),
    )
