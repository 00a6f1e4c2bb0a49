"""Read-side functions for territory pages, and the visible-or-404 lookups of
organizations, contacts and sectors (through ``access``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.accounts.models import User
from amparo.territory.models import Contact, Organization, Region, Sector


@dataclass(frozen=True)
class RegionSummary:
    region: Region
    organizations: int
    contacts: int


def region_summaries(regions: QuerySet[Region]) -> list[RegionSummary]:
    """Each region with its organization and contact counts, in one query."""
    annotated = regions.annotate(
        n_organizations=Count("organizations", distinct=True),
        n_contacts=Count("organizations__contacts", distinct=True),
    ).order_by("name")
    return [RegionSummary(r, r.n_organizations, r.n_contacts) for r in annotated]


def region_organizations(organizations: QuerySet[Organization]) -> list[Organization]:
    """Organizations with their sector, parent and contacts, in a fixed number of queries."""
    return list(
        organizations.select_related("sector", "parent").prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.order_by("name"))
        )
    )


def organizations_visible(user: User, region: Region) -> QuerySet[Organization]:
    access.require(user, Capability.VIEW, region)
    return Organization.objects.filter(region=region)


def organization_or_404(user: User, region: Region, pk: int) -> Organization:
    return access.first_or_404(organizations_visible(user, region).filter(pk=pk))


def contact_or_404(user: User, region: Region, pk: int) -> Contact:
    """A contact of the region's organizations; only those who see details may open one."""
    access.require(user, Capability.VIEW_DETAIL, region)
    return access.first_or_404(Contact.objects.filter(organization__region=region, pk=pk))


def sectors_visible(user: User, region: Region) -> QuerySet[Sector]:
    """Sectors of the region's country whose sector-bound rows the user may read."""
    return Sector.objects.filter(country=region.country).filter(
        access.sector_filter(user, region, field="pk")
    )


def sectors_changeable(user: User, region: Region) -> QuerySet[Sector]:
    """Sectors whose rows in ``region`` the user may change (all for coordinators)."""
    visible = sectors_visible(user, region)
    allowed = [s.pk for s in visible if access.can(user, Capability.CHANGE_SECTOR, region, s.pk)]
    return Sector.objects.filter(pk__in=allowed)
