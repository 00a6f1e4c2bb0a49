"""DHIS2 exchange: the mapping (program admins), a region's values as a data value set
(those who read the region), and the upload of a data value set (those who import values
there; its job pages are the indicator import's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.dhis2 import queries, services
from amparo.dhis2.datavalues import as_csv, as_json
from amparo.dhis2.forms import CodeForm, ExportForm
from amparo.dhis2.import_kind import DHIS2_VALUES
from amparo.dhis2.models import CodeKind, Dhis2Code
from amparo.disclosure.release import request_release
from amparo.form_errors import save_or_form_errors
from amparo.imports import queries as import_queries
from amparo.imports import views as import_views


@login_required
def mapping(request: HttpRequest) -> HttpResponse:
    access.require_program_admin(request.user)
    # "Edit" on a row fills the form with it: saving the same name replaces its code.
    wanted = request.GET.get("edit", "")
    editing = Dhis2Code.objects.filter(pk=wanted).first() if wanted.isdigit() else None
    initial = {"kind": editing.kind, "key": editing.key, "code": editing.code} if editing else {}
    form = CodeForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and save_or_form_errors(form, lambda: services.code_save(**form.cleaned_data))
    ):
        messages.success(request, _("DHIS2 name saved."))
        return redirect("dhis2-mapping")
    rows = list(Dhis2Code.objects.all())
    return render(
        request,
        "dhis2/mapping.html",
        {
            "form": form,
            "editing": editing,
            "groups": [
                (label, [r for r in rows if r.kind == kind]) for kind, label in CodeKind.choices
            ],
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def mapping_delete(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    services.code_delete(row=get_object_or_404(Dhis2Code, pk=pk))
    messages.success(request, _("DHIS2 name removed."))
    return redirect("dhis2-mapping")


@login_required
def export(request: HttpRequest, code: str) -> HttpResponse:
    """The region's values of a period as a DHIS2 data value set, as the reader may read
    them; without a valid period, the form to choose one. The form asks for the reader's
    release too: while it is pending the page says counts are left out for now, and the
    file's response says so in its headers (``ProtectionPendingMiddleware``)."""
    region = access.region_or_404(request.user, code)
    release = request_release(request)
    form = ExportForm(request.GET or None, initial={"period": timezone.localdate().year})
    if form.is_valid():
        period = form.cleaned_data["period"]
        try:
            data = queries.export_for(request.user, [region], period, release=release)
        except ValueError:
            form.add_error(
                "period", _("Use a year (2026), a quarter (2026Q1) or a month (202601).")
            )
        else:
            kind = form.cleaned_data["format"]
            body = as_json(data) if kind == "json" else as_csv(data)
            response = HttpResponse(
                body,
                content_type="application/json" if kind == "json" else "text/csv; charset=utf-8",
            )
            response["Content-Disposition"] = (
                f'attachment; filename="dhis2-{region.code}-{period}.{kind}"'
            )
            return response
    return render(
        request,
        "dhis2/export.html",
        {"region": region, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
def import_values(request: HttpRequest, code: str) -> HttpResponse:
    """The upload of a DHIS2 data value set into the region; its job's page follows."""
    region = access.region_or_404(request.user, code)
    access.require(request.user, DHIS2_VALUES.capability, region)
    if request.method == "POST":
        return import_views.upload(
            request,
            kind=DHIS2_VALUES,
            region=region,
            target=None,
            form=import_views.UploadForm(request.POST, request.FILES),
            job_url=lambda job: reverse("indicator-import-job", args=[region.code, job.pk]),
            back_url=reverse("dhis2-import", args=[region.code]),
        )
    return render(
        request,
        "dhis2/import.html",
        {
            "region": region,
            "form": import_views.UploadForm(),
            "jobs": import_queries.recent_jobs(DHIS2_VALUES, region),
        },
    )
