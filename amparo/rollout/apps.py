from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RolloutConfig(AppConfig):
    name = "amparo.rollout"
    label = "rollout"
    verbose_name = _("Church track")
