"""Read-side functions for territory pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from amparo.territory.models import Contact, Organization, Region


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
