"""The threat catalog and the risk matrices: members read, program admins change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.assessment import scoring, services
from amparo.assessment.forms import MatrixCreateForm, MatrixForm, ThreatForm
from amparo.assessment.models import RiskMatrix, Threat
from amparo.audit import object_history
from amparo.saving import save_or_form_errors
from amparo.territory.models import Sector


@login_required
def threat_list(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    sectors = Sector.objects.prefetch_related("threats").order_by("code")
    return render(
        request,
        "assessment/threat_list.html",
        {"sectors": sectors, "can_manage": access.is_program_admin(request.user)},
    )


@login_required
def threat_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access.require_program_admin(request.user)
    threat = get_object_or_404(Threat, pk=pk) if pk else None
    form = ThreatForm(request.POST or None, instance=threat)
    if request.method == "POST" and form.is_valid():
        saved = save_or_form_errors(
            form, lambda: services.threat_save(threat=threat, **form.cleaned_data)
        )
        if saved:
            messages.success(request, _("Threat saved."))
            return redirect("threat-list")
    return render(
        request,
        "assessment/threat_form.html",
        {
            "form": form,
            "threat": threat,
            "history": object_history(threat)
            if threat and access.history_visible(request.user)
            else [],
        },
        status=422 if form.errors else 200,
    )


@login_required
def matrix_list(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    return render(
        request,
        "assessment/matrix_list.html",
        {
            "matrices": RiskMatrix.objects.order_by("code"),
            "can_manage": access.is_program_admin(request.user),
        },
    )


@login_required
def matrix_create(request: HttpRequest) -> HttpResponse:
    access.require_program_admin(request.user)
    form = MatrixCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = save_or_form_errors(form, lambda: services.matrix_create(**form.cleaned_data))
        if saved:
            messages.success(request, _("Matrix created: now name its levels and set its grid."))
            return redirect("matrix-edit", code=saved.code)
    return render(
        request,
        "assessment/matrix_create.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


@login_required
def matrix_detail(request: HttpRequest, code: str) -> HttpResponse:
    access.require_member(request.user)
    matrix = get_object_or_404(RiskMatrix, code=code)
    return render(
        request,
        "assessment/matrix_detail.html",
        {
            "matrix": matrix,
            "grid": scoring.heat_grid(matrix.spec(), {}),
            "can_manage": access.is_program_admin(request.user),
            "locked": services.matrix_locked(matrix),
            "history": object_history(matrix) if access.history_visible(request.user) else [],
        },
    )


@login_required
@require_POST
def matrix_copy(request: HttpRequest, code: str) -> HttpResponse:
    access.require_program_admin(request.user)
    copy = services.matrix_copy(matrix=get_object_or_404(RiskMatrix, code=code))
    messages.success(request, _("Matrix copied: you are editing the copy."))
    return redirect("matrix-edit", code=copy.code)


@login_required
def matrix_edit(request: HttpRequest, code: str) -> HttpResponse:
    access.require_program_admin(request.user)
    matrix = get_object_or_404(RiskMatrix, code=code)
    if services.matrix_locked(matrix):
        messages.error(request, services.matrix_locked_reason())
        return redirect("matrix-detail", code=matrix.code)
    form = MatrixForm(request.POST or None, matrix=matrix)
    if request.method == "POST" and form.is_valid():
        saved = save_or_form_errors(
            form,
            lambda: services.matrix_save(
                matrix=matrix,
                spec=form.spec(),
                name_es=form.cleaned_data["name_es"],
                name_en=form.cleaned_data["name_en"],
            ),
        )
        if saved:
            messages.success(request, _("Risk matrix saved."))
            return redirect("matrix-detail", code=matrix.code)
    return render(
        request,
        "assessment/matrix_form.html",
        {"form": form, "matrix": matrix},
        status=422 if form.errors else 200,
    )
