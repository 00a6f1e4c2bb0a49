"""Playbook editor: everyone with a membership reads, program admins change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.audit import object_history
from amparo.rollout import queries, services
from amparo.rollout.forms import PlaybookForm, StageForm
from amparo.rollout.models import Playbook
from amparo.saving import save_or_form_errors


@login_required
def playbook_list(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    playbooks = queries.playbook_with_stages(Playbook.objects.all())
    return render(
        request,
        "rollout/playbook_list.html",
        {"playbooks": playbooks, "can_manage": access.is_program_admin(request.user)},
    )


@login_required
def playbook_detail(request: HttpRequest, code: str) -> HttpResponse:
    access.require_member(request.user)
    playbook = get_object_or_404(queries.playbook_with_stages(Playbook.objects.all()), code=code)
    return render(
        request,
        "rollout/playbook_detail.html",
        {
            "playbook": playbook,
            "can_manage": access.is_program_admin(request.user),
            "history": object_history(playbook) if access.history_visible(request.user) else [],
        },
    )


@login_required
def playbook_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    access.require_program_admin(request.user)
    playbook = get_object_or_404(Playbook, code=code) if code else None
    form = PlaybookForm(request.POST or None, instance=playbook)
    if request.method == "POST" and form.is_valid():
        saved = save_or_form_errors(
            form, lambda: services.playbook_save(playbook=playbook, **form.cleaned_data)
        )
        if saved:
            messages.success(request, _("Playbook saved."))
            return redirect("playbook-detail", code=saved.code)
    return render(
        request,
        "rollout/playbook_form.html",
        {"form": form, "playbook": playbook},
        status=422 if form.errors else 200,
    )


@login_required
def stage_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    access.require_program_admin(request.user)
    playbook = get_object_or_404(Playbook, code=code)
    stage = get_object_or_404(playbook.stages, pk=pk) if pk else None
    initial = None if stage else {"order": playbook.stages.count() + 1, "typical_days": 1}
    form = StageForm(request.POST or None, instance=stage, playbook=playbook, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        prerequisites = list(fields.pop("prerequisites"))
        saved = save_or_form_errors(
            form,
            lambda: services.stage_save(
                playbook=playbook, stage=stage, prerequisites=prerequisites, **fields
            ),
        )
        if saved:
            messages.success(request, _("Stage saved."))
            return redirect("playbook-detail", code=playbook.code)
    return render(
        request,
        "rollout/stage_form.html",
        {
            "form": form,
            "playbook": playbook,
            "stage": stage,
            "history": object_history(stage)
            if stage and access.history_visible(request.user)
            else [],
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def stage_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    playbook = get_object_or_404(Playbook, code=code)
    stage = playbook.stages.filter(pk=pk).first()
    if stage is None:
        raise Http404
    try:
        services.stage_delete(stage=stage)
        messages.success(request, _("Stage removed."))
    except services.ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("playbook-detail", code=playbook.code)
