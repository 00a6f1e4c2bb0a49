from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuestionnairesConfig(AppConfig):
    name = "amparo.questionnaires"
    label = "questionnaires"
    verbose_name = _("Field questionnaires")

    def ready(self) -> None:
        from amparo.imports.kinds import register
        from amparo.questionnaires.import_kind import FIELD_ANSWERS

        register(FIELD_ANSWERS)
