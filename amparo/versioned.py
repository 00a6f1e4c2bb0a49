"""The ``version`` column of rows several people edit (findings, measures, events); see
``amparo.concurrency`` for how it is checked and moved on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


def version_field() -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_("Goes up by one on every change, so that edits made meanwhile are noticed."),
    )


def version_positive(model_name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(version__gte=1), name=f"{model_name}_version_positive"
    )
