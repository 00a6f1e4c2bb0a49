from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Dhis2Config(AppConfig):
    name = "amparo.dhis2"
    label = "dhis2"
    verbose_name = _("DHIS2")

    def ready(self) -> None:
        from amparo.dhis2.import_kind import DHIS2_VALUES
        from amparo.imports.kinds import register

        register(DHIS2_VALUES)
