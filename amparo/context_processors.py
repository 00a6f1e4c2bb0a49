"""Values every template needs (site name, hotlines)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """The organization name, and whether to show program-admin links in the menu."""
    from amparo.accounts.access import is_program_admin

    user = getattr(request, "user", None)
    return {
        "organization_name": settings.AMPARO_ORGANIZATION_NAME,
        "menu_program_admin": bool(user and user.is_authenticated and is_program_admin(user)),
    }
