"""Mitigation: measures and changes to a measure."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.api.errors import CHANGE_ERRORS, ERRORS
from amparo.api.filters import ObjectId, regions_asked, since
from amparo.api.pagination import Pages
from amparo.api.schemas import MeasureOut, MeasurePatch
from amparo.api.versioned import patch_or_conflict
from amparo.mitigation import queries as mitigation_queries
from amparo.mitigation import services as mitigation_services
from amparo.mitigation.models import Measure

router = Router(tags=["mitigation"])


@router.get(
    "/measures",
    response={200: list[MeasureOut], **ERRORS},
    operation_id="amparo_api_endpoints_measures",
)
@paginate(Pages)
def measures(
    request: HttpRequest,
    region: str | None = None,
    sector: str | None = None,
    status: str | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    updated_since: datetime | None = None,
):
    """Measures; ``due_from`` and ``due_to`` bound the due date (both included)."""
    regions = regions_asked(request, region)
    rows = Measure.objects.filter(access.sector_scope(request.user, regions))
    rows = rows.select_related("region", "sector").prefetch_related("findings").order_by("pk")
    if sector:
        rows = rows.filter(sector__code=sector)
    if status:
        rows = rows.filter(status=status)
    if due_from:
        rows = rows.filter(due_on__gte=due_from)
    if due_to:
        rows = rows.filter(due_on__lte=due_to)
    if updated_since:
        rows = rows.filter(updated_at__gte=since(updated_since))
    return rows


@router.patch(
    "/measures/{id}",
    response={200: MeasureOut, **CHANGE_ERRORS},
    operation_id="amparo_api_edits_measure_patch",
)
def measure_patch(request: HttpRequest, payload: MeasurePatch, id: int = ObjectId):
    """Change a measure's title, description, dates or expected effect."""
    measure = mitigation_queries.measure_by_id_or_404(request.user, id)
    access.require(request.user, Capability.CHANGE_SECTOR, measure.region, measure.sector_id)
    return patch_or_conflict(
        lambda: mitigation_services.measure_save(
            region=measure.region,
            by=request.user,
            measure=measure,
            expected_version=payload.version,
            title=payload.sent("title"),
            description=payload.sent("description"),
            starts_on=payload.sent("starts_on"),
            due_on=payload.sent("due_on"),
            lowers_likelihood=payload.sent("lowers_likelihood"),
            lowers_impact=payload.sent("lowers_impact"),
        ),
        current=lambda: mitigation_queries.measure_by_id_or_404(request.user, id),
        shape=MeasureOut,
    )
