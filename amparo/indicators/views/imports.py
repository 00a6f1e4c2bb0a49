"""Importing indicator values from CSV / XLSX: the import pipeline's pages
(``amparo.imports.views``) for one region."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.dhis2.import_kind import DHIS2_VALUES
from amparo.imports import queries as import_queries
from amparo.imports import views as import_views
from amparo.imports.models import ImportJob
from amparo.indicators.import_kind import OBSERVATIONS
from amparo.territory.models import Region


def _job_or_404(request: HttpRequest, region: Region, job_id: str) -> ImportJob:
    """A job of the region's values: from an amparo file or a DHIS2 data value set (the
    same pages serve both)."""
    dhis2 = ImportJob.objects.filter(pk=job_id, kind=DHIS2_VALUES.name).exists()
    kind = DHIS2_VALUES if dhis2 else OBSERVATIONS
    return import_queries.import_job_or_404(request.user, region, kind, job_id)


def _job_url(region: Region, job: ImportJob) -> str:
    return reverse("indicator-import-job", args=[region.code, job.pk])


@login_required
def import_observations(request: HttpRequest, code: str) -> HttpResponse:
    """The upload form and the region's latest imports; a file sent here is checked and
    its job's page follows."""
    region = access.region_or_404(request.user, code)
    access.require(request.user, OBSERVATIONS.capability, region)
    if request.method == "POST":
        return import_views.upload(
            request,
            kind=OBSERVATIONS,
            region=region,
            target=None,
            form=import_views.UploadForm(request.POST, request.FILES),
            job_url=lambda job: _job_url(region, job),
            back_url=reverse("indicator-import", args=[region.code]),
        )
    return render(
        request,
        "indicators/import.html",
        {
            "region": region,
            "form": import_views.UploadForm(),
            "jobs": import_queries.recent_jobs(OBSERVATIONS, region),
        },
    )


@login_required
def import_job(request: HttpRequest, code: str, job_id: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    job = _job_or_404(request, region, job_id)
    return import_views.job_page(
        request,
        job=job,
        template="indicators/import_job.html",
        context={
            "region": region,
            "confirm_url": reverse("indicator-import-confirm", args=[region.code, job.pk]),
            "discard_url": reverse("indicator-import-discard", args=[region.code, job.pk]),
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, code: str, job_id: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    job = _job_or_404(request, region, job_id)
    return import_views.confirm(request, job=job, job_url=_job_url(region, job))


@login_required
@require_POST
def import_discard(request: HttpRequest, code: str, job_id: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    job = _job_or_404(request, region, job_id)
    return import_views.discard(
        request, job=job, back_url=reverse("indicator-import", args=[region.code])
    )
