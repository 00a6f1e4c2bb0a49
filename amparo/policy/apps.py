from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "amparo.policy"
    label = "policy"
    verbose_name = _("National policy")
