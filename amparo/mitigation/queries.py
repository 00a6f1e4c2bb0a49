"""Read-side functions for mitigation pages, each with a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, QuerySet

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.accounts.models import User
from amparo.assessment import scoring
from amparo.assessment.models import Finding
from amparo.mitigation import lifecycle
from amparo.mitigation.models import Control, Measure, MeasureKind, MeasureStatus
from amparo.territory.models import Region, Sector

SERIOUS_RANK = 3  # high and above in the default matrix


def measure_list(measures: QuerySet[Measure]) -> QuerySet[Measure]:
    return measures.select_related("sector", "organization", "owner", "region").annotate(
        n_findings=Count("findings", distinct=True), n_evidence=Count("evidence", distinct=True)
    )


def overdue(measures: QuerySet[Measure], today: date) -> QuerySet[Measure]:
    """Open measures (not implemented yet) past their due date."""
    return measures.filter(status__in=lifecycle.OPEN, due_on__lt=today)


def library_controls(
    sectors: QuerySet[Sector],
    *,
    sector_code: str = "",
    threat_code: str = "",
    kinds: Sequence[str] = (),
) -> QuerySet[Control]:
    """The library entries of ``sectors``, narrowed to one sector, one threat treated and
    some kinds when given."""
    controls = Control.objects.filter(sector__in=sectors)
    if sector_code:
        controls = controls.filter(sector__code=sector_code)
    if threat_code:
        controls = controls.filter(threats__code=threat_code)
    if kinds:
        controls = controls.filter(kind__in=kinds)
    return controls.select_related("sector").prefetch_related("threats")


def kinds_without_control(wanted: Iterable[str], found: Iterable[str]) -> list[str]:
    """The ``wanted`` kinds of measure (in their usual order) that no ``found`` entry has."""
    wanted = set(wanted)
    return [kind for kind in lifecycle.missing_kinds(found) if kind in wanted]


@dataclass
class Treatment:
    """How a finding is being treated."""

    measures: list[Measure]
    missing_kinds: list[str]
    serious: bool
    suggested_residual: tuple[int, int] | None
    suggested_level: scoring.LevelSpec | None = None

    @property
    def warn(self) -> bool:
        return self.serious and bool(self.missing_kinds)


def finding_treatment(finding: Finding, measures: QuerySet[Measure]) -> Treatment:
    """Measures treating ``finding`` (those the user may see), the kinds still missing, and
    the residual its measures in effect suggest."""
    spec = finding.assessment.matrix.spec()
    rows = list(measures.filter(findings=finding).select_related("sector"))
    live = [m for m in rows if m.status != MeasureStatus.DROPPED]
    in_effect = [m for m in live if m.status in lifecycle.IN_EFFECT]
    current = finding.residual or finding.inherent
    suggested = None
    if in_effect:
        suggested = lifecycle.suggested_residual(
            finding.inherent, [(m.lowers_likelihood, m.lowers_impact) for m in in_effect]
        )
    return Treatment(
        measures=rows,
        missing_kinds=lifecycle.missing_kinds(m.kind for m in live),
        serious=scoring.risk_level(spec, *current).rank >= SERIOUS_RANK,
        suggested_residual=suggested,
        suggested_level=scoring.risk_level(spec, *suggested) if suggested else None,
    )


@dataclass
class SystemicRow:
    sector: Sector
    cells: list[tuple[str, dict[str, int]]]  # (kind, {status: count})
    maturity: str
    serious_gaps: int = 0


@dataclass
class SystemicView:
    rows: list[SystemicRow]
    statuses: list[tuple[str, str]] = field(default_factory=lambda: list(MeasureStatus.choices))


def systemic_view(
    region: Region, measures: QuerySet[Measure], sectors: QuerySet[Sector]
) -> SystemicView:
    """Sectors x kind with counts by status, the number of high or critical findings of the
    latest round lacking a kind of measure, and each sector's maturity."""
    counts: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    for row in measures.values("sector", "kind", "status").annotate(n=Count("pk")):
        counts[row["sector"]][(row["kind"], row["status"])] = row["n"]
    gaps: dict[int, int] = defaultdict(int)
    latest = region.assessments.select_related("matrix").order_by("-number").first()
    if latest:
        spec = latest.matrix.spec()
        live = Measure.objects.exclude(status=MeasureStatus.DROPPED)
        findings = latest.findings.filter(sector__in=sectors).prefetch_related(
            Prefetch("measures", queryset=live.only("pk", "kind"), to_attr="live_measures")
        )
        for f in findings:
            level = scoring.risk_level(spec, *(f.residual or f.inherent))
            if level.rank >= SERIOUS_RANK and lifecycle.missing_kinds(
                m.kind for m in f.live_measures
            ):
                gaps[f.sector_id] += 1
    rows = []
    for sector in sectors:
        mine = counts.get(sector.pk, {})
        cells = [
            (kind, {status: mine.get((kind, status), 0) for status in MeasureStatus.values})
            for kind in MeasureKind.values
        ]
        work = lifecycle.SectorWork(mine, gaps.get(sector.pk, 0))
        rows.append(SystemicRow(sector, cells, lifecycle.maturity(work), gaps.get(sector.pk, 0)))
    return SystemicView(rows)


def measures_visible(user: User, region: Region) -> QuerySet[Measure]:
    """The region's measures in the sectors the user may read."""
    access.require(user, Capability.VIEW, region)
    return Measure.objects.filter(region=region).filter(access.sector_filter(user, region))


def measure_or_404(user: User, region: Region, pk: int) -> Measure:
    return access.first_or_404(
        measures_visible(user, region)
        .select_related("sector", "organization", "responsible", "owner", "control", "region")
        .filter(pk=pk)
    )


def measure_by_id_or_404(user: User, pk: int) -> Measure:
    """A measure looked up by its id alone (the API), visible exactly as on its pages."""
    return measure_or_404(user, access.first_or_404(Region.objects.filter(measures__pk=pk)), pk)


def measures_followed(user: User) -> QuerySet[Measure]:
    """Measures the user follows up, limited to what their memberships still let them read."""
    return Measure.objects.filter(owner=user).filter(
        access.sector_scope(user, access.regions_visible(user))
    )


def measures_readable(user: User, regions: list[Region]) -> QuerySet[Measure]:
    """The measures of ``regions`` that ``user`` may read, as on the measure pages (a region
    the user may not see at all is not found; the reports)."""
    for region in regions:
        access.require(user, Capability.VIEW, region)
    return Measure.objects.filter(access.sector_scope(user, regions))
