"""Recovery groups launched in a rollout and their monthly aggregate reports."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.audit import object_history
from amparo.disclosure.release import groups_shown, note, request_release
from amparo.form_errors import save_or_form_errors
from amparo.rollout import queries, services
from amparo.rollout.forms import GroupForm, GroupReportForm


@login_required
def group_edit(
    request: HttpRequest, code: str, rollout_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    group = queries.group_or_404(request.user, region, pk) if pk else None
    rollout = group.rollout if group else queries.rollout_or_404(request.user, region, rollout_pk)
    form = GroupForm(request.POST or None, instance=group, rollout=rollout)
    if request.method == "POST" and form.is_valid():
        saved = save_or_form_errors(
            form, lambda: services.group_save(rollout=rollout, group=group, **form.cleaned_data)
        )
        if saved:
            messages.success(request, _("Recovery group saved."))
            return redirect("group-detail", code=region.code, pk=saved.pk)
    return render(
        request,
        "rollout/group_form.html",
        {"form": form, "region": region, "rollout": rollout, "group": group},
        status=422 if form.errors else 200,
    )


def _group_page(request: HttpRequest, region, group, form, status: int = 200) -> HttpResponse:
    return render(
        request,
        "rollout/group_detail.html",
        {
            "region": region,
            "group": group,
            "reports": list(group.reports.all()),
            "can_change": access.can(request.user, Capability.CHANGE_REGION, region),
            "see_small_counts": access.sees_small_counts(request.user, region),
            "small_note": note(settings.AMPARO_DISCLOSURE_K),
            "form": form,
            "history": object_history(group)
            if access.history_visible(request.user, region)
            else [],
        },
        status=status,
    )


@login_required
def group_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    group = queries.group_or_404(request.user, region, pk)
    if not groups_shown(request_release(request), region.code):
        # The groups one can open are a list too: its length is the hidden count.
        raise Http404
    can_change = access.can(request.user, Capability.CHANGE_REGION, region)
    return _group_page(request, region, group, GroupReportForm() if can_change else None)


@login_required
@require_POST
def group_report_save(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    group = queries.group_or_404(request.user, region, pk)
    form = GroupReportForm(request.POST)
    if form.is_valid() and save_or_form_errors(
        form, lambda: services.group_report_record(group=group, **form.cleaned_data)
    ):
        messages.success(request, _("Monthly report saved."))
        return redirect("group-detail", code=region.code, pk=group.pk)
    return _group_page(request, region, group, form, status=422)
