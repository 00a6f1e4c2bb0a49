"""Whose report it is: the reader of reports made on the command line, and the key of the
grants a report was made under. The rows a report holds are asked of the apps' queries
(``assessment.queries.findings_readable``, ``mitigation.queries.measures_readable``)
exactly as the pages ask, so a focal point's report holds their own sector and nothing
more."""

from __future__ import annotations

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.territory.models import Region


def operator() -> User:
    """The reader of reports written on the command line (see ``access.server_operator``)."""
    return access.server_operator()


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
