"""A finding's columns in every table written out: the round's CSV download and the
workbook (``tabular.Column``; headers translated when written)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from amparo.assessment.models import Finding
from amparo.tabular import Column

REGION = Column[Finding](_("Region"), lambda f: f.assessment.region.name)
ROUND = Column[Finding](_("Round"), lambda f: f.assessment.number)
THREAT = Column[Finding](_("Threat"), lambda f: f.threat.code)
SECTOR = Column[Finding](_("Sector"), lambda f: f.sector.code)
RATINGS = (
    Column[Finding](_("Likelihood before controls"), lambda f: f.inherent_likelihood),
    Column[Finding](_("Impact before controls"), lambda f: f.inherent_impact),
    Column[Finding](_("Likelihood with current controls"), lambda f: f.residual_likelihood),
    Column[Finding](_("Impact with current controls"), lambda f: f.residual_impact),
    Column[Finding](_("Confidence"), lambda f: f.get_confidence_display()),
)


def evidence(*, shown: bool) -> Column[Finding]:
    """The evidence text, left empty for those who may not see details (and in the donor
    version of a report)."""
    return Column[Finding](_("Evidence"), lambda f: f.evidence if shown else "")


def round_list(*, evidence_shown: bool) -> list[Column[Finding]]:
    """A round's findings as its page downloads them."""
    return [THREAT, SECTOR, *RATINGS, evidence(shown=evidence_shown)]


def workbook(*, evidence_shown: bool) -> list[Column[Finding]]:
    """Findings of several rounds and regions, as the workbook lists them."""
    return [REGION, ROUND, SECTOR, THREAT, *RATINGS, evidence(shown=evidence_shown)]
