"""A measure's columns in every table written out: the region's measures CSV, "my
measures" CSV and the workbook (``tabular.Column``; headers translated when written)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from amparo.mitigation.models import Measure
from amparo.tabular import Column

REGION = Column[Measure](_("Region"), lambda m: m.region.name)
MEASURE = (
    Column[Measure](_("Sector"), lambda m: m.sector.code),
    Column[Measure](_("Kind"), lambda m: m.get_kind_display()),
    Column[Measure](_("Title"), lambda m: m.title),
    Column[Measure](_("Status"), lambda m: m.get_status_display()),
    Column[Measure](_("Due"), lambda m: m.due_on),
)
# Annotated by ``queries.measure_list``.
FINDINGS = Column[Measure](_("Findings"), lambda m: m.n_findings)

REGION_LIST = [*MEASURE, FINDINGS]  # a region's measures page
ACROSS_REGIONS = [REGION, *MEASURE]  # "my measures" and the workbook
