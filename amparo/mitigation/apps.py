from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MitigationConfig(AppConfig):
    name = "amparo.mitigation"
    label = "mitigation"
    verbose_name = _("Mitigation")
