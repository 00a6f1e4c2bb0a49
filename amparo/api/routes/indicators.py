"""Indicators and their observed values, read and pushed."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.api.errors import ERRORS
from amparo.api.filters import regions_asked, since
from amparo.api.pagination import Pages
from amparo.api.schemas import ImportedOut, IndicatorOut, ObservationIn, ObservationOut
from amparo.imports import services as import_services
from amparo.indicators.import_kind import OBSERVATIONS
from amparo.indicators.models import Indicator, Observation

router = Router(tags=["indicators"])


@router.get(
    "/indicators",
    response={200: list[IndicatorOut], **ERRORS},
    operation_id="amparo_api_endpoints_indicators",
)
@paginate(Pages)
def indicators(request: HttpRequest):
    access.require_member(request.user)
    return Indicator.objects.order_by("code")


@router.get(
    "/observations",
    response={200: list[ObservationOut], **ERRORS},
    operation_id="amparo_api_endpoints_observations",
)
@paginate(Pages)
def observations(
    request: HttpRequest,
    region: str | None = None,
    indicator: str | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    updated_since: datetime | None = None,
):
    """Values; counts the user's release hides (small ones in regions whose details the
    user may not see, and those that would give one back) are null with ``hidden``."""
    regions = regions_asked(request, region)
    rows = Observation.objects.filter(region__in=regions)
    if indicator:
        rows = rows.filter(indicator__code=indicator)
    if period_from:
        rows = rows.filter(period__gte=period_from)
    if period_to:
        rows = rows.filter(period__lte=period_to)
    rows = rows.select_related("indicator", "region")
    if updated_since:
        rows = rows.filter(updated_at__gte=since(updated_since))
    return rows.order_by("pk")


@router.post(
    "/observations",
    response={200: ImportedOut, **ERRORS},
    operation_id="amparo_api_endpoints_observations_push",
)
def observations_push(request: HttpRequest, payload: list[ObservationIn]):
    """Add or replace values; the same rules as the file import. All or nothing."""
    if not payload or len(payload) > 1000:
        return Status(
            422,
            {"error": "invalid_request", "detail": _("Send between 1 and 1000 observations.")},
        )
    codes = {item.region.upper() for item in payload}
    allowed = {
        r.code
        for r in access.regions_visible(request.user).filter(code__in=codes)
        if access.can(request.user, Capability.CHANGE_REGION, r)
    }
    visible = {r.code for r in access.regions_visible(request.user).filter(code__in=codes)}
    if codes - visible:
        return Status(404, {"error": "not_found", "detail": sorted(codes - visible)})
    if codes - allowed:
        raise PermissionDenied
    header = ["indicator", "region", "period", "value", "disaggregation", "source", "note"]
    job = import_services.import_rows(
        kind=OBSERVATIONS,
        by=request.user,
        region=None,
        rows=[header] + [[getattr(item, k) for k in header] for item in payload],
        name="API",
    )
    if job.problem_count:
        detail = [
            {"item": row - 2, "field": column, "reason": reason}
            for row, column, reason, _value in job.problems
        ]
        return Status(422, {"error": "invalid_observations", "detail": detail})
    return {"imported": job.rows_imported}
