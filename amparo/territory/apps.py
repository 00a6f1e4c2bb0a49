from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "amparo.territory"
    label = "territory"
    verbose_name = _("Territory")

    def ready(self) -> None:
        from amparo.imports.kinds import register
        from amparo.territory.import_kind import ORGANIZATIONS

        register(ORGANIZATIONS)
