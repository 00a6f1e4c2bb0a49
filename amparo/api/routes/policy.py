"""The national policy: how the measures serve it."""

from django.http import HttpRequest
from ninja import Router

from amparo.api.errors import ERRORS
from amparo.api.filters import regions_asked
from amparo.api.schemas import AlignmentOut
from amparo.policy.queries import policy_alignment

router = Router(tags=["national policy"])


@router.get(
    "/policy-alignment",
    response={200: AlignmentOut, **ERRORS},
    operation_id="amparo_api_endpoints_policy_alignment",
)
def alignment(request: HttpRequest, region: str | None = None):
    """For each entry of the national policy in which regional governments take part, the
    measures of ``region`` (or of every region the user sees) that serve it and whether
    it is covered, as on the alignment page."""
    view = policy_alignment(request.user, regions_asked(request, region))
    return {
        "regions": [r.code for r in view.regions],
        "covered": view.covered,
        "in_progress": view.in_progress,
        "not_covered": view.not_covered,
        "entries": [
            {
                "tag": row.item.tag,
                "kind": row.item.kind,
                "name_es": row.item.name_es,
                "name_en": row.item.name_en,
                "verified": row.item.verified,
                "regional_role": row.item.regional_role,
                "provider": row.item.provider,
                "state": row.state.value,
                "measures": [
                    {
                        "id": m.pk,
                        "region": m.region.code,
                        "sector": m.sector.code,
                        "kind": m.kind,
                        "title": m.title,
                        "status": m.status,
                    }
                    for m in row.measures
                ],
            }
            for row in view.rows
        ],
    }
