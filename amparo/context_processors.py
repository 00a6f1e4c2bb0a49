"""Values every template needs (site name, hotlines)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """Expose the organization name to the base template."""
    return {"organization_name": settings.AMPARO_ORGANIZATION_NAME}
