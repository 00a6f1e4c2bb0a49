from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "amparo.disclosure"
    label = "disclosure"
    verbose_name = _("Disclosure control")

    def ready(self) -> None:
        # A change to counted data (what ``counted.data_version`` reads) asks the worker,
        # once per transaction, for the protections in use
        # (``worker_protection.after_counted_change``).
        from django.db.models.signals import post_delete, post_save

        from amparo.disclosure.worker_protection import counted_changed
        from amparo.indicators.models import Indicator, Observation
        from amparo.rollout.models import Attendance, Event, GroupReport, RecoveryGroup, Stage
        from amparo.territory.models import Organization

        counted = (Observation, Event, RecoveryGroup, Attendance, GroupReport, Indicator)
        for model in (*counted, Organization, Stage):
            post_save.connect(counted_changed, sender=model, dispatch_uid=f"protect-{model}")
            post_delete.connect(counted_changed, sender=model, dispatch_uid=f"protect-d-{model}")
