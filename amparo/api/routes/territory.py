"""Regions, sectors and organizations."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from amparo.accounts import access
from amparo.api.errors import ERRORS
from amparo.api.filters import regions_asked, since
from amparo.api.pagination import Pages
from amparo.api.schemas import OrganizationOut, RegionOut, SectorOut
from amparo.territory import queries as territory_queries
from amparo.territory.models import Organization, Sector

router = Router(tags=["territory"])


@router.get(
    "/regions",
    response={200: list[RegionOut], **ERRORS},
    operation_id="amparo_api_endpoints_regions",
)
@paginate(Pages)
def regions(request: HttpRequest):
    return access.regions_visible(request.user).order_by("code")


@router.get(
    "/sectors",
    response={200: list[SectorOut], **ERRORS},
    operation_id="amparo_api_endpoints_sectors",
)
@paginate(Pages)
def sectors(request: HttpRequest):
    access.require_member(request.user)
    return Sector.objects.order_by("code", "pk")


@router.get(
    "/organizations",
    response={200: list[OrganizationOut], **ERRORS},
    operation_id="amparo_api_endpoints_organizations",
)
@paginate(Pages)
def organizations(
    request: HttpRequest,
    region: str | None = None,
    sector: str | None = None,
    updated_since: datetime | None = None,
):
    rows = Organization.objects.none()
    for r in regions_asked(request, region):
        rows |= territory_queries.organizations_visible(request.user, r)
    rows = rows.select_related("region", "sector")
    if sector:
        rows = rows.filter(sector__code=sector)
    if updated_since:
        rows = rows.filter(updated_at__gte=since(updated_since))
    return rows.order_by("pk")
