"""The national policy: every member reads it; program admins complete and correct it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.audit import object_history
from amparo.form_errors import save_or_form_errors
from amparo.policy import queries, services
from amparo.policy.forms import InstrumentForm, ItemForm
from amparo.policy.models import PolicyInstrument, PolicyItem


@login_required
def policy_list(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    return render(
        request,
        "policy/policy_list.html",
        {
            "pages": queries.instruments_with_items(),
            "can_manage": access.is_program_admin(request.user),
        },
    )


@login_required
def instrument_edit(request: HttpRequest, instrument_code: str) -> HttpResponse:
    access.require_program_admin(request.user)
    instrument = get_object_or_404(PolicyInstrument, code=instrument_code)
    form = InstrumentForm(request.POST or None, instance=instrument)
    if request.method == "POST" and form.is_valid():
        saved = save_or_form_errors(
            form,
            lambda: services.instrument_save(
                instrument=PolicyInstrument.objects.get(pk=instrument.pk), **form.cleaned_data
            ),
        )
        if saved:
            messages.success(request, _("Policy saved."))
            return redirect("policy-list")
    return render(
        request,
        "policy/instrument_form.html",
        {"form": form, "instrument": instrument, "history": object_history(instrument)},
        status=422 if form.errors else 200,
    )


@login_required
def item_edit(request: HttpRequest, instrument_code: str, pk: int | None = None) -> HttpResponse:
    access.require_program_admin(request.user)
    instrument = get_object_or_404(PolicyInstrument, code=instrument_code)
    item = get_object_or_404(PolicyItem, instrument=instrument, pk=pk) if pk else None
    form = ItemForm(request.POST or None, instance=item, instrument=instrument)
    if request.method == "POST" and form.is_valid():
        saved = save_or_form_errors(
            form,
            lambda: services.item_save(
                instrument=instrument,
                item=PolicyItem.objects.get(pk=item.pk) if item else None,
                **form.cleaned_data,
            ),
        )
        if saved:
            messages.success(request, _("Policy entry saved."))
            return redirect("policy-list")
    return render(
        request,
        "policy/item_form.html",
        {
            "form": form,
            "instrument": instrument,
            "item": item,
            "history": object_history(item) if item else [],
        },
        status=422 if form.errors else 200,
    )


@login_required
def alignment_region(request: HttpRequest, code: str) -> HttpResponse:
    """How the region's measures serve the national policy (what the user may read)."""
    region = access.region_or_404(request.user, code)
    return render(
        request,
        "policy/alignment.html",
        {"region": region, "view": queries.policy_alignment(request.user, [region])},
    )


@login_required
def alignment_program(request: HttpRequest) -> HttpResponse:
    """The same for every region the user sees."""
    access.require_member(request.user)
    regions = list(access.regions_visible(request.user).order_by("name"))
    return render(
        request,
        "policy/alignment.html",
        {"region": None, "view": queries.policy_alignment(request.user, regions)},
    )
