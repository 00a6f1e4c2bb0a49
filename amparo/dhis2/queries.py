"""Reads for DHIS2 exchange: the mapping, and the values a reader may export."""

from __future__ import annotations

from django.db.models import Q

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.dhis2.datavalues import Export, Mapping2, Value, export_values
from amparo.dhis2.models import CodeKind, Dhis2Code
from amparo.dhis2.periods import span
from amparo.disclosure.release import Release, release_of
from amparo.indicators.models import Observation
from amparo.territory.models import Region


def mapping() -> Mapping2:
    """The mapping as program admins keep it, in one query."""
    found: dict[str, dict[str, str]] = {kind: {} for kind in CodeKind.values}
    for kind, key, code in Dhis2Code.objects.values_list("kind", "key", "code"):
        found[kind][key] = code
    return Mapping2(
        data_elements=found[CodeKind.DATA_ELEMENT],
        org_units=found[CodeKind.ORG_UNIT],
        combos=found[CodeKind.CATEGORY_OPTION_COMBO],
        attribute=found[CodeKind.ATTRIBUTE_OPTION_COMBO].get("", ""),
    )


def readable_observations(
    user: User, regions: list[Region], period: str, *, release: Release | None = None
) -> list[Observation]:
    """The observations of ``regions`` in the DHIS2 ``period`` (``2026``, ``2026Q1``,
    ``202601``) that ``user`` may read: those of indicators of every sector, and of the
    sectors the user's grants cover. Counts the user's release hides
    (``amparo.disclosure.release``; ``release`` when the caller has it already) are left
    out, as the API and the pages hide them."""
    first, after = span(period)
    rows = list(
        Observation.objects.filter(region__in=regions, period__gte=first, period__lt=after)
        .filter(
            Q(indicator__sector__isnull=True)
            | access.sector_scope(user, regions, sector_field="indicator__sector")
        )
        .select_related("indicator", "region")
        .order_by("indicator__code", "region__code", "period", "disaggregation")
    )
    release = release or release_of(user)
    return [o for o in rows if not release.observation_hidden(o)]


def export_for(
    user: User, regions: list[Region], period: str, *, release: Release | None = None
) -> Export:
    """The DHIS2 data values of what ``user`` may read of ``regions`` in ``period``
    (``release``: the user's, when the caller has it already)."""
    return export_values(
        (
            Value(
                o.indicator.code,
                o.indicator.frequency,
                o.region.code,
                o.period,
                o.disaggregation,
                o.value,
                o.note,
            )
            for o in readable_observations(user, regions, period, release=release)
        ),
        mapping(),
    )
