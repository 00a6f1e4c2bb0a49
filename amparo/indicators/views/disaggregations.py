"""The standard disaggregation vocabularies: members read them, program admins change them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.audit import object_history
from amparo.form_errors import save_or_form_errors
from amparo.indicators import services
from amparo.indicators.forms import DimensionForm, DisaggregationValueForm
from amparo.indicators.models import DisaggregationDimension, DisaggregationValue


@login_required
def dimension_list(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    return render(
        request,
        "indicators/disaggregation_list.html",
        {
            "dimensions": DisaggregationDimension.objects.prefetch_related("values"),
            "can_manage": access.is_program_admin(request.user),
        },
    )


@login_required
def dimension_edit(request: HttpRequest, dimension_code: str | None = None) -> HttpResponse:
    access.require_program_admin(request.user)
    dimension = (
        get_object_or_404(DisaggregationDimension, code=dimension_code) if dimension_code else None
    )
    form = DimensionForm(request.POST or None, instance=dimension)
    if request.method == "POST" and form.is_valid():
        saved = save_or_form_errors(
            form,
            lambda: services.dimension_save(
                dimension=DisaggregationDimension.objects.get(pk=dimension.pk)
                if dimension
                else None,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Disaggregation saved."))
            return redirect("disaggregation-list")
    return render(
        request,
        "indicators/disaggregation_form.html",
        {
            "form": form,
            "object": dimension,
            "history": object_history(dimension) if dimension else [],
        },
        status=422 if form.errors else 200,
    )


@login_required
def value_edit(request: HttpRequest, dimension_code: str, pk: int | None = None) -> HttpResponse:
    access.require_program_admin(request.user)
    dimension = get_object_or_404(DisaggregationDimension, code=dimension_code)
    value = get_object_or_404(DisaggregationValue, dimension=dimension, pk=pk) if pk else None
    form = DisaggregationValueForm(request.POST or None, instance=value)
    if request.method == "POST" and form.is_valid():
        saved = save_or_form_errors(
            form,
            lambda: services.disaggregation_value_save(
                dimension=dimension,
                value=DisaggregationValue.objects.get(pk=value.pk) if value else None,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Disaggregation value saved."))
            return redirect("disaggregation-list")
    return render(
        request,
        "indicators/disaggregation_form.html",
        {
            "form": form,
            "object": value,
            "dimension": dimension,
            "history": object_history(value) if value else [],
        },
        status=422 if form.errors else 200,
    )
