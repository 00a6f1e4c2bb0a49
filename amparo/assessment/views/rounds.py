"""Assessment rounds of a region: list, start, round page, coverage and heat map."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.assessment import queries, scoring, services
from amparo.assessment.forms import RoundMoveForm, RoundStartForm
from amparo.assessment.models import RoundStatus
from amparo.audit import object_history
from amparo.territory import queries as territory_queries


@login_required
def round_list(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    can_change = access.can(request.user, Capability.CHANGE_REGION, region)
    return render(
        request,
        "assessment/round_list.html",
        {
            "region": region,
            "rounds": region.assessments.select_related("matrix").order_by("-number"),
            "can_change": can_change,
            "form": RoundStartForm() if can_change else None,
        },
    )


@login_required
@require_POST
def round_start(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    form = RoundStartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid matrix."))
        return redirect("round-list", code=region.code)
    try:
        assessment = services.assessment_start(
            region=region,
            clone_previous=form.cleaned_data["clone_previous"],
            matrix=form.cleaned_data["matrix"],
        )
    except services.ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("round-list", code=region.code)
    messages.success(request, _("Round %(n)s started.") % {"n": assessment.number})
    return redirect("round-detail", code=region.code, pk=assessment.pk)


@login_required
def round_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = queries.assessment_or_404(request.user, region, pk)
    sectors = territory_queries.sectors_visible(request.user, region)
    previous = (
        queries.findings_visible(request.user, assessment.previous) if assessment.previous else None
    )
    summary = queries.round_summary(
        assessment, queries.findings_visible(request.user, assessment), previous, sectors
    )
    can_change = access.can(request.user, Capability.CHANGE_REGION, region)
    return render(
        request,
        "assessment/round_detail.html",
        {
            "region": region,
            "assessment": assessment,
            "summary": summary,
            "issues": [services.describe_issue(i) for i in summary.issues],
            "moves": sorted(services.ROUND_MOVES[assessment.status]) if can_change else [],
            "status_labels": dict(RoundStatus.choices),
            "can_change": can_change,
            "can_enter": territory_queries.sectors_changeable(request.user, region).exists()
            and assessment.status != RoundStatus.COMPLETED,
            "history": object_history(assessment)
            if access.history_visible(request.user, region)
            else [],
        },
    )


@login_required
@require_POST
def round_move(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    assessment = queries.assessment_or_404(request.user, region, pk)
    form = RoundMoveForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_move(
                assessment=assessment,
                to=form.cleaned_data["to"],
                by=request.user,
                override_reason=form.cleaned_data["override_reason"],
            )
            messages.success(request, _("Round status changed."))
        except services.ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    return redirect("round-detail", code=region.code, pk=assessment.pk)


@login_required
def round_coverage(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = queries.assessment_or_404(request.user, region, pk)
    rows = queries.coverage(
        assessment,
        queries.findings_visible(request.user, assessment),
        territory_queries.sectors_visible(request.user, region),
    )
    return render(
        request,
        "assessment/coverage.html",
        {"region": region, "assessment": assessment, "rows": rows},
    )


@login_required
def round_heatmap(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = queries.assessment_or_404(request.user, region, pk)
    residual = request.GET.get("kind", "residual") != "inherent"
    counts = queries.heat_counts(
        queries.findings_visible(request.user, assessment), residual=residual
    )
    spec = assessment.matrix.spec()
    return render(
        request,
        "assessment/heatmap.html",
        {
            "region": region,
            "assessment": assessment,
            "grid": scoring.heat_grid(spec, counts),
            "likelihoods": assessment.matrix.likelihoods,
            "impacts": assessment.matrix.impacts,
            "residual": residual,
            "total": sum(counts.values()),
        },
    )
