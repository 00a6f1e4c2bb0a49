from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldServersConfig(AppConfig):
    name = "amparo.fieldservers"
    label = "fieldservers"
    verbose_name = _("Field servers")

    def ready(self) -> None:
        from amparo.fieldservers.import_kind import FIELD_SYNC
        from amparo.imports.kinds import register

        register(FIELD_SYNC)
