"""Creating and changing indicators, and linking them to measures (program admins)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.accounts.models import User
from amparo.form_errors import save_or_form_errors
from amparo.indicators import services
from amparo.indicators.forms import IndicatorForm
from amparo.indicators.models import Indicator
from amparo.mitigation.models import Measure


def _measures_visible(user: User) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(access.sector_scope(user, access.regions_visible(user)))
        .select_related("region", "sector")
        .order_by("region__code", "sector__code", "title")
    )


@login_required
def indicator_edit(request: HttpRequest, indicator_code: str | None = None) -> HttpResponse:
    """A new indicator, or an indicator's definition and its linked measures."""
    access.require_program_admin(request.user)
    indicator = get_object_or_404(Indicator, code=indicator_code) if indicator_code else None
    visible = _measures_visible(request.user) if indicator else None
    form = IndicatorForm(request.POST or None, instance=indicator, measures=visible)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        linked = fields.pop("measures", None)

        @transaction.atomic  # the definition and its measures, or neither
        def save() -> Indicator:
            saved = services.indicator_save(
                indicator=Indicator.objects.get(pk=indicator.pk) if indicator else None,
                by=request.user,
                **fields,
            )
            if linked is not None:
                services.indicator_measures_link(
                    indicator=saved, measures=list(linked), visible=visible
                )
            return saved

        saved = save_or_form_errors(form, save)
        if saved:
            messages.success(request, _("Indicator saved."))
            return redirect("indicator-edit", indicator_code=saved.code)
    return render(
        request,
        "indicators/indicator_form.html",
        {"form": form, "indicator": indicator},
        status=422 if form.errors else 200,
    )
