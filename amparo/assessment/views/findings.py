"""Findings of a round: a filterable list (the heat map links here), detail and form.
Focal points see and change only their sector; viewers see levels, never evidence text."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.assessment import columns, queries, scoring, services
from amparo.assessment.forms import FindingForm
from amparo.assessment.models import Finding, RoundStatus
from amparo.audit import object_history
from amparo.concurrency import edit_page
from amparo.downloads import csv_download
from amparo.mitigation import queries as mitigation_queries
from amparo.mitigation.queries import finding_treatment
from amparo.questionnaires.suggestions import rating_suggestion
from amparo.tabular import table
from amparo.territory import queries as territory_queries


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def finding_list(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = queries.assessment_or_404(request.user, region, pk)
    findings = queries.findings_visible(request.user, assessment)
    sector = request.GET.get("sector")
    if sector:
        findings = findings.filter(sector__code=sector)
    likelihood, impact = _int(request.GET.get("l")), _int(request.GET.get("i"))
    prefix = "inherent" if request.GET.get("kind") == "inherent" else "residual"
    if likelihood and impact:
        findings = findings.filter(
            **{f"{prefix}_likelihood": likelihood, f"{prefix}_impact": impact}
        )
    spec = assessment.matrix.spec()
    if request.GET.get("format") == "csv":
        detail = access.can(request.user, Capability.VIEW_DETAIL, region)
        return csv_download(
            f"hallazgos-{region.code}-{assessment.number}",
            *table(columns.round_list(evidence_shown=detail), findings),
        )
    rows = [
        (
            f,
            scoring.risk_level(spec, *f.inherent),
            scoring.risk_level(spec, *f.residual) if f.residual else None,
        )
        for f in findings
    ]
    return render(
        request,
        "assessment/finding_list.html",
        {
            "region": region,
            "assessment": assessment,
            "rows": rows,
            "filtered": bool(sector or (likelihood and impact)),
        },
    )


@login_required
def finding_detail(request: HttpRequest, code: str, pk: int, finding_pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = queries.assessment_or_404(request.user, region, pk)
    finding = queries.finding_or_404(request.user, assessment, finding_pk)
    spec = assessment.matrix.spec()
    return render(
        request,
        "assessment/finding_detail.html",
        {
            "region": region,
            "assessment": assessment,
            "finding": finding,
            "inherent": scoring.risk_level(spec, *finding.inherent),
            "residual": scoring.risk_level(spec, *finding.residual) if finding.residual else None,
            "see_detail": access.can(
                request.user, Capability.VIEW_DETAIL, region, finding.sector_id
            ),
            "can_change": access.can(
                request.user, Capability.CHANGE_SECTOR, region, finding.sector_id
            ),
            "treatment": finding_treatment(
                finding, mitigation_queries.measures_visible(request.user, region)
            ),
            "suggestion": rating_suggestion(assessment, finding.threat),
            "history": object_history(finding)
            if access.history_visible(request.user, region, finding.sector_id)
            else [],
        },
    )


@login_required
def finding_edit(
    request: HttpRequest, code: str, pk: int, finding_pk: int | None = None
) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = queries.assessment_or_404(request.user, region, pk)
    finding = queries.finding_or_404(request.user, assessment, finding_pk) if finding_pk else None
    sectors = territory_queries.sectors_changeable(request.user, region)
    if finding is not None:
        access.require(request.user, Capability.CHANGE_SECTOR, region, finding.sector_id)
    elif not sectors.exists():
        raise PermissionDenied
    initial = {"threat": request.GET.get("threat")} if finding is None else None
    form = FindingForm(
        request.POST or None,
        instance=finding,
        assessment=assessment,
        sectors=sectors,
        initial=initial,
    )

    def save(values: dict[str, Any], expected: int | None) -> Finding:
        return services.finding_save(
            assessment=assessment,
            by=request.user,
            finding=finding,
            expected_version=expected,
            threat=values["threat"],
            inherent_likelihood=values["inherent_likelihood"],
            inherent_impact=values["inherent_impact"],
            current_controls=values["current_controls"],
            residual_likelihood=values["residual_likelihood"],
            residual_impact=values["residual_impact"],
            evidence=values["evidence"],
            evidence_source=values["evidence_source"],
            confidence=values["confidence"],
            justification=values["justification"],
        )

    def saved(row: Finding) -> HttpResponse:
        messages.success(request, _("Finding saved."))
        return redirect("finding-detail", code=region.code, pk=assessment.pk, finding_pk=row.pk)

    return edit_page(
        request,
        form,
        save=save,
        reload=lambda: queries.finding_or_404(request.user, assessment, finding_pk),
        refill=lambda current, initial: FindingForm(
            instance=current, assessment=assessment, sectors=sectors, initial=initial
        ),
        template="assessment/finding_form.html",
        context=lambda row: {"region": region, "assessment": assessment, "finding": row},
        saved=saved,
    )


@login_required
def finding_delete(request: HttpRequest, code: str, pk: int, finding_pk: int) -> HttpResponse:
    """Ask, then remove a finding from a round that is not completed."""
    region = access.region_or_404(request.user, code)
    assessment = queries.assessment_or_404(request.user, region, pk)
    finding = queries.finding_or_404(request.user, assessment, finding_pk)
    access.require(request.user, Capability.CHANGE_SECTOR, region, finding.sector_id)
    detail = redirect("finding-detail", code=region.code, pk=assessment.pk, finding_pk=finding.pk)
    if assessment.status == RoundStatus.COMPLETED:
        messages.error(request, _("This round is completed; its findings are kept as they are."))
        return detail
    if request.method == "POST":
        try:
            services.finding_delete(finding=finding)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return detail
        messages.success(request, _("Finding %(code)s removed.") % {"code": finding.threat.code})
        return redirect("round-detail", code=region.code, pk=assessment.pk)
    return render(
        request,
        "assessment/finding_delete.html",
        {
            "region": region,
            "assessment": assessment,
            "finding": finding,
            "measures": finding.measures.count(),
        },
    )
