"""Who reads an output: the threshold ``k`` and the regions whose details they know in
full; the release of each audience is protected and stored once per data version."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.disclosure import keys, stored, track
from amparo.disclosure.model import CellKey

PROGRAM = keys.PROGRAM


@dataclass(frozen=True)
class Audience:
    """Who reads: ``k`` and the regions (codes) whose cells they know in full;
    ``program_known`` when that is every region (the program's cells too)."""

    k: int
    known_regions: frozenset[str] = frozenset()
    program_known: bool = False

    def knows(self, cell: CellKey) -> bool:
        region = track.region_of(cell)
        if region == PROGRAM:
            return self.program_known
        return region in self.known_regions


def public_audience() -> Audience:
    """Donors and the public: the higher k, no one's details, whoever makes the output."""
    return Audience(settings.AMPARO_DISCLOSURE_K_PUBLIC)


def audience_for(user: User, *, public: bool = False) -> Audience:
    """The audience of ``user``: the regions whose details they see are known to them; the
    program's cells too when a program-wide grant lets them see every region's details."""
    if public:
        return public_audience()
    regions = list(access.regions_visible(user))
    known = frozenset(r.code for r in regions if access.sees_small_counts(user, r))
    program_wide = any(g.region_id is None for g in access.grants(user))
    every = program_wide and len(known) == len(regions)
    return Audience(settings.AMPARO_DISCLOSURE_K, known, every)


def audience_key(audience: Audience) -> str:
    return stored.audience_key(audience.k, audience.known_regions, audience.program_known)
