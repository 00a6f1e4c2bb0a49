"""Django's admin site, for emergencies only: reachable by superusers alone. Everyone else
signed in gets 404 (the site is not advertised); anonymous visitors get its login page.
The program team's regular work has its own pages (people, invitations, second factors)."""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import Http404, HttpRequest, HttpResponse


def _refuse_non_superusers(request: HttpRequest) -> None:
    user = request.user
    if user.is_authenticated and not (user.is_active and user.is_superuser):
        raise Http404


class SuperuserAdminSite(admin.AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def admin_view(self, view: Callable, cacheable: bool = False) -> Callable:
        inner = super().admin_view(view, cacheable)

        def guarded(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            _refuse_non_superusers(request)
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        _refuse_non_superusers(request)
        return super().login(request, extra_context)


class SuperuserAdminConfig(AdminConfig):
    """Django's admin app with the site above (named in ``INSTALLED_APPS``)."""

    default_site = "amparo.accounts.admin_site.SuperuserAdminSite"
