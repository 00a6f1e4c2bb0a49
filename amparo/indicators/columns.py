"""Observations' columns in the tables written out (the workbook), with the value as the
reader may see it (``tabular.Column``)."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from amparo.indicators.models import Observation
from amparo.tabular import Column


def observations(value: Callable[[Observation], object]) -> list[Column[Observation]]:
    return [
        Column[Observation](_("Region"), lambda o: o.region.name),
        Column[Observation](_("Indicator"), lambda o: o.indicator.code),
        Column[Observation](_("Period"), lambda o: o.period),
        Column[Observation](_("Disaggregation"), lambda o: o.disaggregation),
        Column[Observation](_("Value"), value),
        Column[Observation](_("Source"), lambda o: o.source),
    ]
