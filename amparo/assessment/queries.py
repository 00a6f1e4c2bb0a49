"""Read-side functions for the assessment pages, each with a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.accounts.models import User
from amparo.assessment import scoring
from amparo.assessment.models import Assessment, Finding, Threat
from amparo.mitigation import lifecycle
from amparo.territory.models import Region, Sector

IN_EFFECT = tuple(lifecycle.IN_EFFECT)  # measure statuses that lower risk today


def effects_in_effect(findings: QuerySet[Finding]) -> dict[int, list[tuple[int, int]]]:
    """Per finding id, the expected (likelihood, impact) drop of each measure in effect
    treating it: one query for all the findings."""
    links = Finding.measures.through.objects.filter(
        finding__in=findings.values("pk"), measure__status__in=IN_EFFECT
    ).values_list("finding_id", "measure__lowers_likelihood", "measure__lowers_impact")
    effects: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for finding_id, lowers_likelihood, lowers_impact in links:
        effects[finding_id].append((lowers_likelihood, lowers_impact))
    return effects


def ratings_of(
    assessment: Assessment, findings: QuerySet[Finding], rows: list[Finding] | None = None
) -> list[scoring.Rating]:
    """Ratings for the checks (``rows``: the findings already read, to save the query).
    Measure counts are known only once the region has measures: before mitigation starts,
    a lower residual reflects controls that predate amparo. A finding with measures in
    effect carries the residual their expected effects suggest."""
    if rows is None:
        rows = list(findings.select_related("threat", "sector"))
    if not assessment.region.measures.exists():
        return [f.rating() for f in rows]
    effects = effects_in_effect(findings)
    return [
        f.rating(
            measures=len(effects.get(f.pk, [])),
            suggested=lifecycle.suggested_residual(f.inherent, effects[f.pk])
            if f.pk in effects
            else None,
        )
        for f in rows
    ]


def round_ratings(
    assessment: Assessment, findings: QuerySet[Finding] | None = None
) -> list[scoring.Rating]:
    return ratings_of(assessment, findings if findings is not None else assessment.findings.all())


@dataclass
class SectorLine:
    sector: Sector
    findings: int = 0
    threats: int = 0
    worst: scoring.LevelSpec | None = None


@dataclass
class RoundSummary:
    lines: list[SectorLine]
    issues: list[scoring.Issue]
    diff: scoring.RoundDiff | None
    level_counts: list[tuple[scoring.LevelSpec, int]] = field(default_factory=list)


def round_summary(
    assessment: Assessment,
    findings: QuerySet[Finding],
    previous_findings: QuerySet[Finding] | None,
    sectors: QuerySet[Sector],
) -> RoundSummary:
    """Per sector: findings, catalog threats and the worst current level; the consistency
    issues; the diff against the previous round; counts per level."""
    spec = assessment.matrix.spec()
    rows = list(findings.select_related("threat", "sector"))
    ratings = ratings_of(assessment, findings, rows)
    sectors = list(sectors)
    threats = dict(
        Threat.objects.filter(sector__in=sectors)
        .values("sector")
        .annotate(n=Count("pk"))
        .values_list("sector", "n")
    )
    lines = {s.pk: SectorLine(s, threats=threats.get(s.pk, 0)) for s in sectors}
    per_level: dict[str, int] = defaultdict(int)
    for f in rows:
        level = scoring.risk_level(spec, *(f.residual or f.inherent))
        per_level[level.code] += 1
        line = lines.get(f.sector_id)
        if line:
            line.findings += 1
            if line.worst is None or level.rank > line.worst.rank:
                line.worst = level
    diff = None
    if previous_findings is not None:
        diff = scoring.round_diff([f.rating() for f in previous_findings], ratings)
    return RoundSummary(
        lines=list(lines.values()),
        issues=scoring.consistency_issues(spec, ratings, [s.code for s in sectors]),
        diff=diff,
        level_counts=[(level, per_level.get(level.code, 0)) for level in spec.levels],
    )


@dataclass
class CoverageRow:
    sector: Sector
    cells: list[tuple[Threat, Finding | None, scoring.LevelSpec | None]]


def coverage(
    assessment: Assessment, findings: QuerySet[Finding], sectors: QuerySet[Sector]
) -> list[CoverageRow]:
    """Sectors x their catalog threats: each cell the finding (if assessed) and its level."""
    spec = assessment.matrix.spec()
    by_threat = {f.threat_id: f for f in findings}
    per_sector: dict[int, list[Threat]] = defaultdict(list)
    for threat in Threat.objects.filter(sector__in=sectors).order_by("code"):
        per_sector[threat.sector_id].append(threat)
    rows = []
    for sector in sectors:
        cells = []
        for threat in per_sector[sector.pk]:
            finding = by_threat.get(threat.pk)
            level = (
                scoring.risk_level(spec, *(finding.residual or finding.inherent))
                if finding
                else None
            )
            cells.append((threat, finding, level))
        rows.append(CoverageRow(sector, cells))
    return rows


def heat_counts(findings: QuerySet[Finding], *, residual: bool) -> dict[tuple[int, int], int]:
    """Findings per (likelihood, impact) cell, counted by the database."""
    l_field, i_field = (
        ("residual_likelihood", "residual_impact")
        if residual
        else ("inherent_likelihood", "inherent_impact")
    )
    rows = (
        findings.exclude(**{f"{l_field}__isnull": True})
        .values(l_field, i_field)
        .annotate(n=Count("pk"))
    )
    return {(r[l_field], r[i_field]): r["n"] for r in rows}


def assessment_or_404(user: User, region: Region, pk: int) -> Assessment:
    access.require(user, Capability.VIEW, region)
    rounds = Assessment.objects.select_related("matrix", "region", "previous").filter(
        region=region, pk=pk
    )
    return access.first_or_404(rounds)


def findings_visible(user: User, assessment: Assessment) -> QuerySet[Finding]:
    """The round's findings in the sectors the user may read (a focal point: their own)."""
    access.require(user, Capability.VIEW, assessment.region)
    return assessment.findings.filter(access.sector_filter(user, assessment.region)).select_related(
        "threat", "sector"
    )


def finding_or_404(user: User, assessment: Assessment, pk: int) -> Finding:
    return access.first_or_404(findings_visible(user, assessment).filter(pk=pk))


def finding_by_id_or_404(user: User, pk: int) -> Finding:
    """A finding looked up by its id alone (the API): visible exactly as on its round's
    pages, 404 otherwise."""
    assessment = access.first_or_404(
        Assessment.objects.select_related("matrix", "region").filter(findings__pk=pk)
    )
    return finding_or_404(user, assessment, pk)


def findings_readable(user: User, regions: list[Region]) -> QuerySet[Finding]:
    """The findings of every round of ``regions`` in the sectors ``user`` may read (the
    reports)."""
    return Finding.objects.filter(
        access.sector_scope(user, regions, region_field="assessment__region")
    )
