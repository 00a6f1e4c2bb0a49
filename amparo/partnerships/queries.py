"""Read-side functions for partnerships, meetings and tasks (fixed query counts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.partnerships.models import (
    Meeting,
    NextStep,
    Partnership,
    PartnershipMove,
    PartnershipStage,
)
from amparo.partnerships.services import WITH_AGREEMENT
from amparo.territory.models import OrganizationKind, Region


@dataclass
class PipelineRow:
    region: Region
    by_stage: dict[str, list[Partnership]] = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        """A region is ready to start when its fraternity or its regional government has
        signed (or is active)."""
        return any(
            p.organization.kind
            in (OrganizationKind.FRATERNITY, OrganizationKind.REGIONAL_GOVERNMENT)
            for stage in WITH_AGREEMENT
            for p in self.by_stage.get(stage, [])
        )


def pipeline(regions: QuerySet[Region]) -> list[PipelineRow]:
    rows = {
        r.pk: PipelineRow(r, {s: [] for s in PartnershipStage.values})
        for r in regions.order_by("name")
    }
    for p in Partnership.objects.filter(region__in=rows).select_related(
        "organization", "introduced_by__organization"
    ):
        rows[p.region_id].by_stage[p.stage].append(p)
    return list(rows.values())


def region_partnerships(region: Region, *, moves: bool = True) -> QuerySet[Partnership]:
    """The region's partnerships with their introducers and, unless ``moves`` is False,
    their stage moves (oldest first, with who made each), in a fixed number of queries."""
    rows = region.partnerships.select_related("organization", "introduced_by__organization")
    if moves:
        rows = rows.prefetch_related(
            Prefetch("moves", queryset=PartnershipMove.objects.select_related("by"))
        )
    return rows


def regions_with_agreement(regions: QuerySet[Region]) -> set[int]:
    return {row.region.pk for row in pipeline(regions) if row.ready}


def meeting_log(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.prefetch_related(
        "organizations",
        "contacts",
        Prefetch("next_steps", queryset=NextStep.objects.select_related("owner")),
    )


def open_steps(steps: QuerySet[NextStep]) -> QuerySet[NextStep]:
    return (
        steps.filter(done_on__isnull=True)
        .select_related("owner", "meeting__region")
        .order_by("due_on")
    )


def my_open_steps(user: User) -> QuerySet[NextStep]:
    """The open next steps ``user`` owns, in the regions where they may still close them
    ("my tasks"): an owner who became a viewer there no longer gets them."""
    regions = access.regions_where(user, access.Capability.VIEW_DETAIL)
    return open_steps(NextStep.objects.filter(owner=user, meeting__region__in=regions))


def is_overdue(step: NextStep, today: date) -> bool:
    return step.done_on is None and step.due_on < today
