from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "amparo.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        from amparo.imports.kinds import register
        from amparo.indicators.import_kind import OBSERVATIONS

        register(OBSERVATIONS)
