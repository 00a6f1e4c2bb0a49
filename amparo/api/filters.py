"""What the API's lists and objects share: the bound on ids, the regions a request covers,
``updated_since`` as an instant the database accepts, and which rows the user may see in
detail (small counts, evidence)."""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.models import Case, Value, When
from django.http import HttpRequest
from ninja import Path

from amparo.accounts import access
from amparo.territory.models import Region

# Row ids are 64-bit; a larger number in a filter is refused (422) before it reaches the
# database, which would fail on it instead of finding nothing.
MAX_ID = 2**63 - 1

# The ``{id}`` of an object's address.
ObjectId = Path(..., ge=1, le=MAX_ID)


def since(moment: datetime) -> datetime:
    """``updated_since`` in UTC: the database accepts any instant but not every offset."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def regions_asked(request: HttpRequest, region: str | None) -> list[Region]:
    """The regions a list covers: the one asked for (404 when the user may not see it, as
    on the pages) or every region the user sees."""
    if region:
        return [access.region_or_404(request.user, region)]
    return list(access.regions_visible(request.user))


def seeing_detail(request: HttpRequest, regions: list[Region], field: str) -> Case:
    """True on each row whose region (reached by ``field``) the user may see in detail:
    small counts, evidence and justification; for the other rows counts from 1 to 4 and
    those texts are withheld."""
    detailed = [r.pk for r in regions if access.sees_small_counts(request.user, r)]
    return Case(When(**{f"{field}__in": detailed}, then=Value(True)), default=Value(False))
