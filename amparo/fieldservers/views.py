"""Field servers' pages: the connections (program admins), and a round's forms on the
servers with where their pulls stand (the region's coordinators), with the pulled jobs'
pages of the import pipeline."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.assessment import queries as assessment_queries
from amparo.fieldservers import queries, services, tasks
from amparo.fieldservers.forms import ConnectionForm, PublishForm
from amparo.fieldservers.import_kind import FIELD_SYNC
from amparo.fieldservers.models import Connection
from amparo.form_errors import save_or_form_errors
from amparo.imports import queries as import_queries
from amparo.imports import views as import_views
from amparo.questionnaires.import_kind import import_allowed
from amparo.territory.models import Sector


@login_required
def connection_list(request: HttpRequest) -> HttpResponse:
    access.require_program_admin(request.user)
    return render(request, "fieldservers/connections.html", {"connections": queries.connections()})


@login_required
def connection_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    access.require_program_admin(request.user)
    connection = get_object_or_404(Connection, pk=pk) if pk else None
    form = ConnectionForm(request.POST or None) if request.method == "POST" else None
    if form is None:
        form = ConnectionForm.of(connection) if connection else ConnectionForm()
    elif form.is_valid() and save_or_form_errors(
        form,
        lambda: services.connection_save(
            by=request.user, connection=connection, **form.cleaned_data
        ),
    ):
        return redirect("fieldserver-list")
    return render(
        request, "fieldservers/connection_form.html", {"form": form, "connection": connection}
    )


@login_required
@require_POST
def connection_test(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    connection = get_object_or_404(Connection, pk=pk)
    messages.info(
        request,
        f"{connection.name}: {services.connection_test(by=request.user, connection=connection)}",
    )
    return redirect("fieldserver-list")


@login_required
@require_POST
def connection_enable(request: HttpRequest, pk: int) -> HttpResponse:
    access.require_program_admin(request.user)
    connection = get_object_or_404(Connection, pk=pk)
    services.connection_disable(
        by=request.user, connection=connection, enabled=request.POST.get("enabled") == "on"
    )
    return redirect("fieldserver-list")


def _round(request: HttpRequest, code: str, pk: int) -> tuple:
    region = access.region_or_404(request.user, code)
    access.require(request.user, FIELD_SYNC.capability, region)
    return region, assessment_queries.assessment_or_404(request.user, region, pk)


@login_required
def round_forms(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, assessment = _round(request, code, pk)
    sectors = Sector.objects.filter(country=region.country).order_by("code")
    return render(
        request,
        "fieldservers/round.html",
        {
            "region": region,
            "assessment": assessment,
            "forms": queries.forms_of(assessment),
            "to_review": queries.pulls_to_review(assessment),
            "round_open": import_allowed(assessment),
            "publish": PublishForm(connections=queries.enabled_connections(), sectors=sectors),
        },
    )


@login_required
@require_POST
def publish(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region, assessment = _round(request, code, pk)
    sectors = Sector.objects.filter(country=region.country)
    form = PublishForm(request.POST, connections=queries.enabled_connections(), sectors=sectors)
    back = redirect("round-fieldservers", code=region.code, pk=assessment.pk)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return back
    code_wanted = form.cleaned_data["sector"]
    try:
        published = services.form_publish(
            by=request.user,
            assessment=assessment,
            connection=form.cleaned_data["connection"],
            sector=sectors.get(code=code_wanted) if code_wanted else None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(
        request,
        f"{published.connection.name}: {published.server_form_id} · {published.server_version}",
    )
    return back


@login_required
@require_POST
def sync_now(request: HttpRequest, code: str, pk: int, form_pk: int) -> HttpResponse:
    region, assessment = _round(request, code, pk)
    form = queries.published_form_or_404(
        request.user, region, assessment, form_pk, FIELD_SYNC.capability
    )
    tasks.pull_form.enqueue(form.pk)
    return redirect("round-fieldservers", code=region.code, pk=assessment.pk)


def _job(request: HttpRequest, code: str, pk: int, job_id: str) -> tuple:
    region = access.region_or_404(request.user, code)
    assessment = assessment_queries.assessment_or_404(request.user, region, pk)
    job = import_queries.import_job_or_404(request.user, region, FIELD_SYNC, job_id, assessment)
    return region, assessment, job


def _job_url(region, assessment, job) -> str:
    return reverse("fieldserver-job", args=[region.code, assessment.pk, job.pk])


@login_required
def pulled_job(request: HttpRequest, code: str, pk: int, job_id: str) -> HttpResponse:
    region, assessment, job = _job(request, code, pk, job_id)
    args = [region.code, assessment.pk, job.pk]
    return import_views.job_page(
        request,
        job=job,
        template="questionnaires/import_job.html",
        context={
            "region": region,
            "assessment": assessment,
            "confirm_url": reverse("fieldserver-job-confirm", args=args),
            "discard_url": reverse("fieldserver-job-discard", args=args),
        },
    )


@login_required
@require_POST
def pulled_confirm(request: HttpRequest, code: str, pk: int, job_id: str) -> HttpResponse:
    region, assessment, job = _job(request, code, pk, job_id)
    return import_views.confirm(request, job=job, job_url=_job_url(region, assessment, job))


@login_required
@require_POST
def pulled_discard(request: HttpRequest, code: str, pk: int, job_id: str) -> HttpResponse:
    region, assessment, job = _job(request, code, pk, job_id)
    return import_views.discard(
        request,
        job=job,
        back_url=reverse("round-fieldservers", args=[region.code, assessment.pk]),
    )
