"""What a report may contain: the rows of its regions that its reader may read, asked of
``amparo.accounts.access`` exactly as the pages ask, so a focal point's report holds their
own sector and nothing more."""

from __future__ import annotations

from django.db.models import QuerySet

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.assessment.models import Finding
from amparo.mitigation.models import Measure
from amparo.territory.models import Region


def operator() -> User:
    """The reader of reports written on the command line (see ``access.server_operator``)."""
    return access.server_operator()


def findings_readable(user: User, regions: list[Region]) -> QuerySet[Finding]:
    """The findings of every round of ``regions`` in the sectors ``user`` may read."""
    return Finding.objects.filter(
        access.sector_scope(user, regions, region_field="assessment__region")
    )


def measures_readable(user: User, regions: list[Region]) -> QuerySet[Measure]:
    """The measures of ``regions`` that ``user`` may read, as on the measure pages (a region
    the user may not see at all is not found)."""
    for region in regions:
        access.require(user, access.Capability.VIEW, region)
    return Measure.objects.filter(access.sector_scope(user, regions))


def scope_key(user: User, regions: list[Region]) -> str:
    """What decides the rows a report holds for ``user``: their grants over ``regions``.
    A report made under one set of grants is never handed out under another."""
    return grants_key(user, {r.pk for r in regions})


def grants_key(user: User, ids: set[int]) -> str:
    """``scope_key`` over the regions of the given ids (no query beyond the grants)."""
    relevant = sorted(
        (g.role, g.region_id or 0, g.sector_id or 0)
        for g in access.grants(user)
        if g.region_id is None or g.region_id in ids
    )
    return ";".join(f"{role}:{region}:{sector}" for role, region, sector in relevant)
