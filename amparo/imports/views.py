"""The steps every kind of import shares, as pages: upload, the job's page (progress,
counts, every problem by row), confirm and discard. A kind's own views find the region,
the target and the job through ``access`` and ``queries.import_job_or_404`` and hand them
here."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amparo.form_errors import save_or_form_errors
from amparo.imports import queries, services, tasks
from amparo.imports.kinds import ImportKind, kind_of
from amparo.imports.models import ImportJob, JobStatus
from amparo.ops import health
from amparo.territory.models import Region


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (CSV or XLSX)"))


def upload(
    request: HttpRequest,
    *,
    kind: ImportKind,
    region: Region,
    target: models.Model | None,
    form: UploadForm,
    job_url: Callable[[ImportJob], str],
    back_url: str,
) -> HttpResponse:
    """Store the uploaded file as a job and start checking it; the job's page follows."""
    job = form.is_valid() and save_or_form_errors(
        form,
        lambda: services.import_job_create(
            kind=kind,
            by=request.user,
            region=region,
            target=target,
            upload=form.cleaned_data["file"],
        ),
    )
    if not job:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(back_url)
    tasks.check_import.enqueue(str(job.pk))
    return redirect(job_url(job))


def job_page(
    request: HttpRequest, *, job: ImportJob, template: str, context: dict[str, object]
) -> HttpResponse:
    """The job: its status and progress while it runs, its counts, and its problems."""
    return render(
        request,
        template,
        {
            "job": job,
            "running": job.running,
            "no_worker": job.running and health.waiting_without_worker(),
            "rows_done": services.import_progress(job),
            "problems": queries.problem_rows(job),
            "reasons_template": kind_of(job).reasons_template,
            "not_allowed": kind_of(job).not_allowed,
            **context,
        },
    )


def confirm(request: HttpRequest, *, job: ImportJob, job_url: str) -> HttpResponse:
    try:
        services.import_confirm(
            job=job,
            by=request.user,
            keep_file=request.POST.get("keep_file") == "on",
            confirmed_rows=[int(n) for n in request.POST.getlist("confirm_row") if n.isdigit()],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(job_url)
    try:
        tasks.write_import.enqueue(str(job.pk))
    except Exception:
        messages.error(request, _("The import failed; nothing was written."))
    return redirect(job_url)


def discard(request: HttpRequest, *, job: ImportJob, back_url: str) -> HttpResponse:
    if job.status not in (JobStatus.READY, JobStatus.FAILED):
        raise PermissionDenied
    services.import_discard(job=job)
    messages.success(request, _("The file was discarded; nothing was imported."))
    return redirect(back_url)
