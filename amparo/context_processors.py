"""Values every template needs (site name, hotlines, version)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """The organization name, whether to show the program-admin, people and church-track
    settings links in the menu, and whether the person still owes a second factor (then the
    menu is left out)."""
    from amparo.accounts import second_factor
    from amparo.accounts.access import is_program_admin, may_manage_people, settings_readable

    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    import amparo

    return {
        "amparo_version": amparo.__version__,
        "organization_name": settings.AMPARO_ORGANIZATION_NAME,
        "menu_program_admin": signed_in and is_program_admin(user),
        "menu_people": signed_in and may_manage_people(user),
        "menu_track_settings": signed_in and settings_readable(user),
        "second_factor_due": signed_in and second_factor.step_due(user) is not None,
    }
