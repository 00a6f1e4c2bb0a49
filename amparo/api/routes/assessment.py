"""The government track's threat assessment: rounds, findings and changes to a finding."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.api.errors import CHANGE_ERRORS, ERRORS
from amparo.api.filters import MAX_ID, ObjectId, regions_asked, seeing_detail, since
from amparo.api.pagination import Pages
from amparo.api.schemas import AssessmentOut, FindingOut, FindingPatch
from amparo.api.versioned import patch_or_conflict
from amparo.assessment import queries as assessment_queries
from amparo.assessment import services as assessment_services
from amparo.assessment.models import Assessment, Finding

router = Router(tags=["assessment"])


@router.get(
    "/assessments",
    response={200: list[AssessmentOut], **ERRORS},
    operation_id="amparo_api_endpoints_assessments",
)
@paginate(Pages)
def assessments(
    request: HttpRequest,
    region: str | None = None,
    status: str | None = None,
    updated_since: datetime | None = None,
):
    rows = Assessment.objects.filter(region__in=regions_asked(request, region))
    rows = rows.select_related("region")
    if status:
        rows = rows.filter(status=status)
    if updated_since:
        rows = rows.filter(updated_at__gte=since(updated_since))
    return rows.order_by("pk")


@router.get(
    "/findings",
    response={200: list[FindingOut], **ERRORS},
    operation_id="amparo_api_endpoints_findings",
)
@paginate(Pages)
def findings(
    request: HttpRequest,
    region: str | None = None,
    sector: str | None = None,
    round_id: int | None = Query(None, ge=1, le=MAX_ID),
    updated_since: datetime | None = None,
):
    regions = regions_asked(request, region)
    rows = Finding.objects.filter(
        access.sector_scope(request.user, regions, region_field="assessment__region")
    )
    rows = rows.select_related("assessment__region", "sector", "threat").order_by("pk")
    if sector:
        rows = rows.filter(sector__code=sector)
    if round_id:
        rows = rows.filter(assessment_id=round_id)
    if updated_since:
        rows = rows.filter(updated_at__gte=since(updated_since))
    # Evidence and justification go only to those who may see the region's details.
    return rows.annotate(see_detail=seeing_detail(request, regions, "assessment__region"))


def _finding_out(request: HttpRequest, pk: int) -> Finding:
    """One finding as the list gives it."""
    finding = assessment_queries.finding_by_id_or_404(request.user, pk)
    finding.see_detail = access.can(
        request.user, Capability.VIEW_DETAIL, finding.assessment.region, finding.sector_id
    )
    return finding


@router.patch(
    "/findings/{id}",
    response={200: FindingOut, **CHANGE_ERRORS},
    operation_id="amparo_api_edits_finding_patch",
)
def finding_patch(request: HttpRequest, payload: FindingPatch, id: int = ObjectId):
    """Change a finding's ratings, controls, evidence or confidence."""
    finding = assessment_queries.finding_by_id_or_404(request.user, id)
    assessment = finding.assessment
    access.require(request.user, Capability.CHANGE_SECTOR, assessment.region, finding.sector_id)
    return patch_or_conflict(
        lambda: assessment_services.finding_save(
            assessment=assessment,
            by=request.user,
            finding=finding,
            expected_version=payload.version,
            inherent_likelihood=payload.sent("inherent_likelihood"),
            inherent_impact=payload.sent("inherent_impact"),
            residual_likelihood=payload.sent("residual_likelihood"),
            residual_impact=payload.sent("residual_impact"),
            current_controls=payload.sent("current_controls"),
            evidence=payload.sent("evidence"),
            evidence_source=payload.sent("evidence_source"),
            confidence=payload.sent("confidence"),
            justification=payload.sent("justification"),
        ),
        current=lambda: _finding_out(request, id),
        shape=FindingOut,
    )
