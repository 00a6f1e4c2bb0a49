"""Questionnaires of a round: export the XLSForm, upload field submissions, preview and
confirm the import, and accept the ratings the answers suggest."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.assessment import services as assessment_services
from amparo.concurrency import UNCHANGED
from amparo.form_errors import save_or_form_errors
from amparo.questionnaires import queries, services, tasks
from amparo.questionnaires.models import JobStatus
from amparo.territory.models import Sector


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Export file (CSV or XLSX)"),
        help_text=gettext_lazy("As downloaded from KoboToolbox or ODK Central."),
    )


@login_required
def questionnaires_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = access.assessment_or_404(request.user, region, pk)
    sectors = access.sectors_visible(request.user, region)
    can_import = access.can(request.user, Capability.CHANGE_REGION, region)
    return render(
        request,
        "questionnaires/questionnaires.html",
        {
            "region": region,
            "assessment": assessment,
            "questionnaires": queries.questionnaires_with_tallies(assessment, sectors),
            "can_export": access.sectors_changeable(request.user, region).exists(),
            "can_import": can_import,
            "form": UploadForm() if can_import else None,
            "round_open": services.import_allowed(assessment),
            "jobs": assessment.imports.select_related("created_by")[:10] if can_import else [],
        },
    )


@login_required
def export(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = access.assessment_or_404(request.user, region, pk)
    wanted = request.GET.get("sector", "all")
    if wanted == "all":
        access.require(request.user, Capability.CHANGE_REGION, region)
        sectors = list(Sector.objects.filter(country=region.country))
    else:
        sector = get_object_or_404(access.sectors_visible(request.user, region), code=wanted)
        access.require(request.user, Capability.CHANGE_SECTOR, region, sector.pk)
        sectors = [sector]
    try:
        content = services.xlsform_bytes(services.form_spec(sectors=sectors, assessment=assessment))
    except services.ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("questionnaires", code=region.code, pk=assessment.pk)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"amparo-{region.code}-ronda{assessment.number}-{wanted.lower()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def upload(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    assessment = access.assessment_or_404(request.user, region, pk)
    form = UploadForm(request.POST, request.FILES)
    job = form.is_valid() and save_or_form_errors(
        form,
        lambda: services.import_job_create(
            assessment=assessment, by=request.user, upload=form.cleaned_data["file"]
        ),
    )
    if not job:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("questionnaires", code=region.code, pk=assessment.pk)
    tasks.read_import.enqueue(str(job.pk))
    return redirect("import-job", code=region.code, pk=assessment.pk, job_id=job.pk)


def _job(request: HttpRequest, code: str, pk: int, job_id: str) -> tuple:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    assessment = access.assessment_or_404(request.user, region, pk)
    job = assessment.imports.filter(pk=job_id).first()
    if job is None:
        raise Http404
    return region, assessment, job


@login_required
def import_job(request: HttpRequest, code: str, pk: int, job_id: str) -> HttpResponse:
    region, assessment, job = _job(request, code, pk, job_id)
    running = job.status in (JobStatus.QUEUED, JobStatus.READING, JobStatus.WRITING)
    return render(
        request,
        "questionnaires/import_job.html",
        {
            "region": region,
            "assessment": assessment,
            "job": job,
            "running": running,
            "rows_done": services.import_progress(job),
            "problems": queries.problem_rows(job),
            "to_import": max(job.rows_valid - job.rows_already, 0),
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, code: str, pk: int, job_id: str) -> HttpResponse:
    region, assessment, job = _job(request, code, pk, job_id)
    try:
        services.import_confirm(job=job, keep_file=request.POST.get("keep_file") == "on")
    except services.ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("import-job", code=region.code, pk=assessment.pk, job_id=job.pk)
    try:
        tasks.write_import.enqueue(str(job.pk))
    except Exception:
        messages.error(request, _("The import failed; nothing was written."))
    return redirect("import-job", code=region.code, pk=assessment.pk, job_id=job.pk)


@login_required
@require_POST
def import_discard(request: HttpRequest, code: str, pk: int, job_id: str) -> HttpResponse:
    region, assessment, job = _job(request, code, pk, job_id)
    if job.status not in (JobStatus.READY, JobStatus.FAILED):
        raise PermissionDenied
    services.import_discard(job=job)
    messages.success(request, _("The file was discarded; nothing was imported."))
    return redirect("questionnaires", code=region.code, pk=assessment.pk)


@login_required
@require_POST
def accept_suggestion(request: HttpRequest, code: str, pk: int, finding_pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = access.assessment_or_404(request.user, region, pk)
    finding = access.finding_or_404(request.user, assessment, finding_pk)
    access.require(request.user, Capability.CHANGE_SECTOR, region, finding.sector_id)
    suggestion = services.rating_suggestion(assessment, finding.threat)
    try:
        assessment_services.finding_save(
            assessment=assessment,
            by=request.user,
            finding=finding,
            inherent_likelihood=suggestion.likelihood or UNCHANGED,
            inherent_impact=suggestion.impact or UNCHANGED,
        )
        messages.success(request, _("The suggested ratings were applied; adjust them if needed."))
    except assessment_services.ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("finding-detail", code=region.code, pk=assessment.pk, finding_pk=finding.pk)
