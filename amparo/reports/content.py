"""What an executive summary says, gathered from the same query functions as the pages
(the dashboard, the rollout board, the round summary, the measures), so a report can never
disagree with the screen."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from amparo.assessment import queries as assessment_queries
from amparo.assessment.scoring import DEFAULT_MATRIX
from amparo.indicators.dashboard import Dashboard, chart_for, dashboard
from amparo.mitigation.models import Measure, MeasureKind, MeasureStatus
from amparo.partnerships.models import NextStep
from amparo.rollout.models import PlanRun
from amparo.suppression import suppress
from amparo.territory.models import Region, Sector


@dataclass
class SectorMeasures:
    sector: Sector
    by_kind: list[tuple[str, list[tuple[str, int]]]]


@dataclass
class RegionPart:
    region: Region
    sectors: list[SectorMeasures] = field(default_factory=list)
    issues: int = 0
    recent: list[Measure] = field(default_factory=list)
    open_steps: list[NextStep] = field(default_factory=list)


@dataclass
class Summary:
    levels: list[object]
    title_region: Region | None
    donor: bool
    generated: date
    since: date | None
    board: Dashboard
    charts: list[tuple[object, str]]
    parts: list[RegionPart]
    plan_finish: str | None


def _count(value: int | None, donor: bool) -> int | str | None:
    return suppress(value) if donor else value


def executive_summary(regions: QuerySet[Region], *, donor: bool, since: date | None) -> Summary:
    """Everything an executive summary shows for ``regions`` (one, or all the user sees).
    ``donor`` applies the viewer rules: no evidence text, no contact details, small counts
    suppressed. ``since`` marks what was done since the last report."""
    board = dashboard(regions)
    levels = next((line.risk.levels for line in board.lines if line.risk.levels), None)
    names = [level for level, _n in levels] if levels else list(DEFAULT_MATRIX.levels)
    for line in board.lines:
        if not line.risk.levels:
            line.risk.levels = [(level, 0) for level in names]
        for name in ("pastors_trained", "churches_represented", "groups_launched", "groups_active"):
            setattr(line.rollout, name, _count(getattr(line.rollout, name), donor))
    rendered = []
    for view in board.indicators:
        if donor:
            view.withhold_small_counts()
        if view.is_count and isinstance(view.current, float):
            view.current = round(view.current)
        rendered.append((view, chart_for(view, see_small_counts=not donor, width=520, height=170)))
    parts = []
    region_list = list(regions.order_by("name"))
    measures = list(Measure.objects.filter(region__in=region_list).select_related("sector"))
    sectors = list(Sector.objects.order_by("code"))
    for region in region_list:
        mine = [m for m in measures if m.region_id == region.pk]
        part = RegionPart(region)
        for sector in sectors:
            cells = [
                (
                    kind,
                    [
                        (label, n)
                        for value, label in MeasureStatus.choices
                        if (
                            n := sum(
                                1
                                for m in mine
                                if m.sector_id == sector.pk and m.kind == kind and m.status == value
                            )
                        )
                    ],
                )
                for kind in MeasureKind.values
            ]
            if any(counts for _kind, counts in cells):
                part.sectors.append(SectorMeasures(sector, cells))
        latest = region.assessments.select_related("matrix", "region").order_by("-number").first()
        if latest:
            part.issues = len(
                assessment_queries.round_summary(
                    latest, latest.findings.all(), None, Sector.objects.all()
                ).issues
            )
        if since:
            part.recent = [
                m
                for m in mine
                if m.updated_at.date() >= since and m.status in ("implemented", "verified")
            ]
        if not donor:
            part.open_steps = list(
                NextStep.objects.filter(meeting__region=region, done_on__isnull=True)
                .select_related("owner")
                .order_by("due_on")[:10]
            )
        parts.append(part)
    plan = PlanRun.objects.filter(applied_at__isnull=False).order_by("-applied_at").first()
    return Summary(
        levels=names,
        title_region=region_list[0] if len(region_list) == 1 else None,
        donor=donor,
        generated=timezone.localdate(),
        since=since,
        board=board,
        charts=rendered,
        parts=parts,
        plan_finish=plan.result.get("finish") if plan else None,
    )
