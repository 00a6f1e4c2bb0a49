"""Questionnaires of a round: export the XLSForm, upload field submissions, preview and
confirm the import (the import pipeline's pages, ``amparo.imports.views``), and accept the
ratings the answers suggest."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.assessment import queries as assessment_queries
from amparo.assessment import services as assessment_services
from amparo.assessment.models import Assessment
from amparo.concurrency import UNCHANGED
from amparo.imports import queries as import_queries
from amparo.imports import views as import_views
from amparo.imports.models import ImportJob
from amparo.questionnaires import queries
from amparo.questionnaires.form_export import form_spec, xlsform_bytes
from amparo.questionnaires.import_kind import FIELD_ANSWERS, import_allowed
from amparo.questionnaires.suggestions import rating_suggestion
from amparo.territory import queries as territory_queries
from amparo.territory.models import Region, Sector


class UploadForm(import_views.UploadForm):
    file = forms.FileField(
        label=gettext_lazy("Export file (CSV or XLSX)"),
        help_text=gettext_lazy("As downloaded from KoboToolbox or ODK Central."),
    )


@login_required
def questionnaires_page(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = assessment_queries.assessment_or_404(request.user, region, pk)
    sectors = territory_queries.sectors_visible(request.user, region)
    can_import = access.can(request.user, FIELD_ANSWERS.capability, region)
    return render(
        request,
        "questionnaires/questionnaires.html",
        {
            "region": region,
            "assessment": assessment,
            "questionnaires": queries.questionnaires_with_tallies(assessment, sectors),
            "can_export": territory_queries.sectors_changeable(request.user, region).exists(),
            "can_import": can_import,
            "form": UploadForm() if can_import else None,
            "can_edit": access.is_program_admin(request.user),
            "round_open": import_allowed(assessment),
            "jobs": import_queries.recent_jobs(FIELD_ANSWERS, region, assessment)
            if can_import
            else [],
        },
    )


@login_required
def export(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = assessment_queries.assessment_or_404(request.user, region, pk)
    wanted = request.GET.get("sector", "all")
    if wanted == "all":
        access.require(request.user, Capability.CHANGE_REGION, region)
        sectors = list(Sector.objects.filter(country=region.country))
    else:
        sector = get_object_or_404(
            territory_queries.sectors_visible(request.user, region), code=wanted
        )
        access.require(request.user, Capability.CHANGE_SECTOR, region, sector.pk)
        sectors = [sector]
    try:
        content = xlsform_bytes(form_spec(sectors=sectors, assessment=assessment))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("questionnaires", code=region.code, pk=assessment.pk)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"amparo-{region.code}-ronda{assessment.number}-{wanted.lower()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _job_url(region: Region, assessment: Assessment, job: ImportJob) -> str:
    return reverse("import-job", args=[region.code, assessment.pk, job.pk])


@login_required
@require_POST
def upload(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, FIELD_ANSWERS.capability, region)
    assessment = assessment_queries.assessment_or_404(request.user, region, pk)
    return import_views.upload(
        request,
        kind=FIELD_ANSWERS,
        region=region,
        target=assessment,
        form=UploadForm(request.POST, request.FILES),
        job_url=lambda job: _job_url(region, assessment, job),
        back_url=reverse("questionnaires", args=[region.code, assessment.pk]),
    )


def _job(request: HttpRequest, code: str, pk: int, job_id: str) -> tuple:
    region = access.region_or_404(request.user, code)
    assessment = assessment_queries.assessment_or_404(request.user, region, pk)
    job = import_queries.import_job_or_404(request.user, region, FIELD_ANSWERS, job_id, assessment)
    return region, assessment, job


@login_required
def import_job(request: HttpRequest, code: str, pk: int, job_id: str) -> HttpResponse:
    region, assessment, job = _job(request, code, pk, job_id)
    return import_views.job_page(
        request,
        job=job,
        template="questionnaires/import_job.html",
        context={
            "region": region,
            "assessment": assessment,
            "confirm_url": reverse("import-confirm", args=[region.code, assessment.pk, job.pk]),
            "discard_url": reverse("import-discard", args=[region.code, assessment.pk, job.pk]),
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, code: str, pk: int, job_id: str) -> HttpResponse:
    region, assessment, job = _job(request, code, pk, job_id)
    return import_views.confirm(request, job=job, job_url=_job_url(region, assessment, job))


@login_required
@require_POST
def import_discard(request: HttpRequest, code: str, pk: int, job_id: str) -> HttpResponse:
    region, assessment, job = _job(request, code, pk, job_id)
    return import_views.discard(
        request, job=job, back_url=reverse("questionnaires", args=[region.code, assessment.pk])
    )


@login_required
@require_POST
def accept_suggestion(request: HttpRequest, code: str, pk: int, finding_pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    assessment = assessment_queries.assessment_or_404(request.user, region, pk)
    finding = assessment_queries.finding_or_404(request.user, assessment, finding_pk)
    access.require(request.user, Capability.CHANGE_SECTOR, region, finding.sector_id)
    suggestion = rating_suggestion(assessment, finding.threat)
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
