"""The versioned JSON API: ``/api/v1/``, documented at ``/api/v1/docs``.

Every endpoint reads through ``amparo.accounts.access``, so a user sees through the API
exactly what the pages show them. Errors have one shape: ``{"error": ..., "detail": ...}``
(``errors.py``). The operations live in ``routes/``, one router per area of the product.
"""

from __future__ import annotations

from ninja import NinjaAPI

from amparo.api.auth import TokenAuth, VerifiedSessionAuth
from amparo.api.errors import add_error_handlers
from amparo.api.routes import (
    assessment,
    church_track,
    indicators,
    mitigation,
    policy,
    territory,
)

api = NinjaAPI(
    title="amparo API",
    version="1",
    urls_namespace="api-v1",
    auth=[TokenAuth(), VerifiedSessionAuth()],
    description=(
        "Read and feed amparo from partners' systems. Authenticate with a personal token "
        "(`Authorization: Bearer ...`, created on the API tokens page) or a signed-in session. "
        "Lists are paginated (`limit`, `offset`) and filter by region, sector, status, period "
        "and `updated_since` for incremental sync. A count hidden to protect small counts is "
        "`null` with `hidden: true`; while the protection is being worked out after a data "
        "change every count is hidden and responses carry `Amparo-Protection: pending` and "
        "`Retry-After` (seconds)."
    ),
)
add_error_handlers(api)

for area in (territory, church_track, assessment, mitigation, indicators, policy):
    api.add_router("", area.router)
