"""Pipeline, partnerships, meetings with next steps, my tasks, and the materials library."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.form_errors import save_or_form_errors
from amparo.partnerships import queries, services
from amparo.partnerships.forms import (
    MaterialForm,
    MaterialStagesForm,
    MaterialVersionForm,
    MeetingForm,
    NextStepForm,
    PartnershipForm,
)
from amparo.partnerships.models import (
    Material,
    MaterialVersion,
    Meeting,
    NextStep,
    Partnership,
    PartnershipStage,
)
from amparo.rollout import queries as rollout_queries
from amparo.territory import queries as territory_queries


@login_required
def pipeline(request: HttpRequest) -> HttpResponse:
    rows = queries.pipeline(access.regions_visible(request.user))
    return render(
        request, "partnerships/pipeline.html", {"rows": rows, "stages": PartnershipStage.choices}
    )


def _introducers(user):
    return Partnership.objects.filter(region__in=access.regions_visible(user)).select_related(
        "organization"
    )


@login_required
def region_partnerships(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    can_change = access.can(request.user, Capability.CHANGE_REGION, region)
    form = PartnershipForm(
        request.POST or None, region=region, introducers=_introducers(request.user)
    )
    if request.method == "POST":
        access.require(request.user, Capability.CHANGE_REGION, region)
        if form.is_valid() and save_or_form_errors(
            form,
            lambda: services.partnership_create(
                region=region, by=request.user, **form.cleaned_data
            ),
        ):
            messages.success(request, _("Partnership recorded."))
            return redirect("region-partnerships", code=region.code)
    return render(
        request,
        "partnerships/region.html",
        {
            "region": region,
            "partnerships": queries.region_partnerships(region),
            # Only those who may open the signed agreement get a link to it.
            "can_download": access.can(request.user, Capability.VIEW_DETAIL, region),
            "moves": services.STAGE_MOVES,
            "stages": dict(PartnershipStage.choices),
            "form": form if can_change else None,
            "can_change": can_change,
            "today": timezone.localdate(),
        },
        status=422 if form.errors else 200,
    )


def _partnership(request, code, pk):
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    return region, get_object_or_404(region.partnerships, pk=pk)


@login_required
@require_POST
def partnership_move(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, partnership = _partnership(request, code, pk)
    try:
        if request.FILES.get("agreement"):
            services.agreement_attach(partnership=partnership, upload=request.FILES["agreement"])
        if request.POST.get("to"):
            on = request.POST.get("on") or timezone.localdate().isoformat()
            from datetime import date

            services.partnership_move(
                partnership=partnership,
                to=request.POST["to"],
                on=date.fromisoformat(on),
                by=request.user,
            )
        messages.success(request, _("Partnership updated."))
    except (services.ValidationError, ValueError) as error:
        text = " ".join(error.messages) if hasattr(error, "messages") else _("Enter a valid date.")
        messages.error(request, text)
    return redirect("region-partnerships", code=region.code)


@login_required
def agreement_download(request: HttpRequest, code: str, pk: int) -> FileResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.VIEW_DETAIL, region)
    partnership = get_object_or_404(region.partnerships, pk=pk)
    if not partnership.agreement:
        raise Http404
    return FileResponse(
        partnership.agreement.open("rb"),
        as_attachment=True,
        filename=partnership.agreement_name or _("agreement"),
        content_type=partnership.agreement_type or "application/octet-stream",
    )


@login_required
def meetings(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    can_change = access.can(request.user, Capability.CHANGE_REGION, region)
    form = MeetingForm(
        request.POST or None,
        region=region,
        organizations=territory_queries.organizations_visible(request.user, region),
        owners=access.people_who_can_change(region),
    )
    if request.method == "POST":
        access.require(request.user, Capability.CHANGE_REGION, region)
        if form.is_valid():
            data = form.cleaned_data
            if save_or_form_errors(
                form,
                lambda: services.meeting_record(
                    region=region,
                    by=request.user,
                    held_on=data["held_on"],
                    place=data["place"],
                    purpose=data["purpose"],
                    agreed=data["agreed"],
                    organizations=list(data["organizations"]),
                    contacts=list(data["contacts"]),
                    next_steps=data["next_steps"],
                ),
            ):
                messages.success(request, _("Meeting recorded."))
                return redirect("meetings", code=region.code)
    return render(
        request,
        "partnerships/meetings.html",
        {
            "region": region,
            "meetings": queries.meeting_log(region.meetings.all()),
            "form": form if can_change else None,
            "can_change": can_change,
            "see_people": can_change,
            "today": timezone.localdate(),
        },
        status=422 if form.errors else 200,
    )


def _meeting_url(meeting: Meeting) -> str:
    return reverse("meetings", args=[meeting.region.code]) + f"#meeting-{meeting.pk}"


@login_required
def next_step_create(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    meeting = get_object_or_404(region.meetings.select_related("region"), pk=pk)
    form = NextStepForm(request.POST or None, owners=access.people_who_can_change(region))
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_form_errors(
            form, lambda: services.next_step_add(meeting=meeting, **form.cleaned_data)
        )
    ):
        messages.success(request, _("Next step added."))
        return redirect(_meeting_url(meeting))
    return render(
        request,
        "partnerships/next_step_form.html",
        {"region": region, "meeting": meeting, "form": form, "step": None},
        status=422 if form.errors else 200,
    )


@login_required
def next_step_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    step = get_object_or_404(
        NextStep.objects.select_related("meeting__region").filter(meeting__region=region), pk=pk
    )
    if step.done_on is not None:
        messages.error(request, _("This next step is already done and can no longer be changed."))
        return redirect(_meeting_url(step.meeting))
    form = NextStepForm(
        request.POST or None,
        owners=access.people_who_can_change(region),
        initial={"description": step.description, "owner": step.owner_id, "due_on": step.due_on},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_form_errors(
            form, lambda: services.next_step_update(step=step, **form.cleaned_data)
        )
    ):
        messages.success(request, _("Next step saved."))
        return redirect(_meeting_url(step.meeting))
    return render(
        request,
        "partnerships/next_step_form.html",
        {"region": region, "meeting": step.meeting, "form": form, "step": step},
        status=422 if form.errors else 200,
    )


@login_required
def my_tasks(request: HttpRequest) -> HttpResponse:
    steps = queries.my_open_steps(request.user)
    return render(
        request, "partnerships/tasks.html", {"steps": steps, "today": timezone.localdate()}
    )


@login_required
@require_POST
def step_done(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(NextStep.objects.select_related("meeting__region"), pk=pk)
    # The owner follows up their own step while they still hold a non-viewer membership
    # of the region; anyone else needs to be able to change the region.
    needed = (
        Capability.VIEW_DETAIL if step.owner_id == request.user.pk else Capability.CHANGE_REGION
    )
    access.require(request.user, needed, step.meeting.region)
    try:
        services.next_step_done(step=step, on=timezone.localdate())
        messages.success(request, _("Next step marked as done."))
    except services.ValidationError as error:
        messages.error(request, " ".join(error.messages))
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return redirect(target if target and safe else "my-tasks")


@login_required
def materials(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    can_manage = access.is_program_admin(request.user)
    form = MaterialForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        access.require_program_admin(request.user)
        if form.is_valid() and save_or_form_errors(
            form,
            lambda: services.material_add(
                code=form.cleaned_data["code"],
                title_es=form.cleaned_data["title_es"],
                title_en=form.cleaned_data["title_en"],
                kind=form.cleaned_data["kind"],
                stages=list(form.cleaned_data["stages"]),
            ),
        ):
            messages.success(request, _("Material added."))
            return redirect("materials")
    items = Material.objects.prefetch_related("versions", "stages")
    return render(
        request,
        "partnerships/materials.html",
        {
            "materials": items,
            "form": form,
            "version_form": MaterialVersionForm() if can_manage else None,
        },
    )


@login_required
def material_edit(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    material = get_object_or_404(Material, pk=pk)
    form = MaterialStagesForm(request.POST or None, initial={"stages": material.stages.all()})
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_form_errors(
            form,
            lambda: services.material_stages_set(
                material=material, stages=list(form.cleaned_data["stages"])
            ),
        )
    ):
        messages.success(request, _("Material saved."))
        return redirect("materials")
    return render(
        request,
        "partnerships/material_form.html",
        {"material": material, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def material_version_add(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    material = get_object_or_404(Material, pk=pk)
    form = MaterialVersionForm(request.POST, request.FILES)
    if form.is_valid() and save_or_form_errors(
        form,
        lambda: services.material_version_add(
            material=material,
            by=request.user,
            language=form.cleaned_data["language"],
            version=form.cleaned_data["version"],
            upload=form.cleaned_data["file"],
        ),
    ):
        messages.success(request, _("Version added."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("materials")


@login_required
def material_download(request: HttpRequest, pk: int) -> FileResponse:
    access.require_member(request.user)
    version = get_object_or_404(MaterialVersion, pk=pk)
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )


@login_required
@require_POST
def event_materials(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    event = rollout_queries.event_or_404(request.user, region, pk)
    ids = {int(v) for v in request.POST.getlist("versions") if v.isdigit()}
    # Only versions of the materials this event's stage uses, as the event page offers.
    versions = list(MaterialVersion.objects.filter(pk__in=ids, material__stages=event.stage))
    if len(versions) != len(ids):
        return HttpResponseBadRequest(_("Choose among the materials this stage uses."))
    services.event_materials_set(event=event, versions=versions)
    messages.success(request, _("Materials used recorded."))
    return redirect("event-detail", code=region.code, pk=event.pk)
