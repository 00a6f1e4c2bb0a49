"""Importing organizations and contacts from XLSX / CSV: the template, and the import
pipeline's pages (``amparo.imports.views``) for one region."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import override
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.imports import queries as import_queries
from amparo.imports import views as import_views
from amparo.imports.models import ImportJob
from amparo.tabular import csv_bytes, xlsx_bytes
from amparo.territory.import_kind import ORGANIZATIONS
from amparo.territory.models import OrganizationKind, Region
from amparo.territory.organization_import import CONFIRMABLE, template_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _job_url(region: Region, job: ImportJob) -> str:
    return reverse("organization-import-job", args=[region.code, job.pk])


def _region(request: HttpRequest, code: str) -> Region:
    """The region, if the person may import organizations there (404 if they cannot see
    it, 403 if they see it without the right)."""
    region = access.region_or_404(request.user, code)
    access.require(request.user, ORGANIZATIONS.capability, region)
    return region


def _job(request: HttpRequest, code: str, job_id: str) -> tuple[Region, ImportJob]:
    """An organization import of the region, whoever uploaded it; 404 otherwise."""
    region = _region(request, code)
    job = (
        ImportJob.objects.select_related("created_by", "region")
        .filter(kind=ORGANIZATIONS.name, region=region, pk=job_id)
        .first()
    )
    if job is None:
        raise Http404
    return region, job


@login_required
def import_organizations(request: HttpRequest, code: str) -> HttpResponse:
    """The upload form, the templates and the region's latest imports."""
    region = _region(request, code)
    if request.method == "POST":
        return import_views.upload(
            request,
            kind=ORGANIZATIONS,
            region=region,
            target=None,
            form=import_views.UploadForm(request.POST, request.FILES),
            job_url=lambda job: _job_url(region, job),
            back_url=reverse("organization-import", args=[region.code]),
        )
    return render(
        request,
        "territory/organization_import.html",
        {
            "region": region,
            "form": import_views.UploadForm(),
            "jobs": import_queries.recent_jobs(ORGANIZATIONS, region),
        },
    )


@login_required
def import_template(request: HttpRequest, code: str) -> HttpResponse:
    """An empty template with Spanish or English headers (``?lang=en``), as XLSX or CSV
    (``?format=csv``); the XLSX lists the kinds on a second sheet."""
    region = _region(request, code)
    language = "en" if request.GET.get("lang") == "en" else "es"
    header = template_rows(language)
    if request.GET.get("format") == "csv":
        content, content_type, extension = csv_bytes(header, []), "text/csv", "csv"
    else:
        with override(language):
            kinds = [(value, str(label)) for value, label in OrganizationKind.choices]
        sheets = [
            ("organizaciones" if language == "es" else "organizations", header, []),
            (
                "tipos" if language == "es" else "kinds",
                ["tipo", "significado"] if language == "es" else ["kind", "meaning"],
                kinds,
            ),
        ]
        content, content_type, extension = xlsx_bytes(sheets), XLSX, "xlsx"
    response = HttpResponse(content, content_type=content_type)
    name = f"amparo-{region.code}-organizaciones-{language}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def import_job(request: HttpRequest, code: str, job_id: str) -> HttpResponse:
    region, job = _job(request, code, job_id)
    return import_views.job_page(
        request,
        job=job,
        template="territory/organization_import_job.html",
        context={
            "region": region,
            "duplicates": [p for p in job.problems if p[2] in CONFIRMABLE],
            "confirm_url": reverse("organization-import-confirm", args=[region.code, job.pk]),
            "discard_url": reverse("organization-import-discard", args=[region.code, job.pk]),
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest, code: str, job_id: str) -> HttpResponse:
    region, job = _job(request, code, job_id)
    return import_views.confirm(request, job=job, job_url=_job_url(region, job))


@login_required
@require_POST
def import_discard(request: HttpRequest, code: str, job_id: str) -> HttpResponse:
    region, job = _job(request, code, job_id)
    return import_views.discard(
        request, job=job, back_url=reverse("organization-import", args=[region.code])
    )
