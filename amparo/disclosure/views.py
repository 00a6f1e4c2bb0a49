"""The disclosure audit page for program admins: choose a reader, run it in the background,
read the result."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from amparo.accounts import access
from amparo.disclosure import services, tasks
from amparo.disclosure.forms import ReaderForm
from amparo.disclosure.models import AuditRun, AuditState
from amparo.ops import health


@login_required
def audit_page(request: HttpRequest) -> HttpResponse:
    access.require_program_admin(request.user)
    form = ReaderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run = services.audit_request(by=request.user, **form.reader_kwargs())
        tasks.run_audit.enqueue(str(run.pk))
        return redirect("disclosure-audit-run", pk=run.pk)
    runs = AuditRun.objects.select_related("created_by")[: services.KEPT]
    return render(request, "disclosure/audit.html", {"form": form, "runs": runs})


@login_required
def audit_run(request: HttpRequest, pk) -> HttpResponse:
    access.require_program_admin(request.user)
    run = get_object_or_404(AuditRun, pk=pk)
    running = run.state in (AuditState.QUEUED, AuditState.RUNNING)
    return render(
        request,
        "disclosure/run.html",
        {
            "run": run,
            "running": running,
            "no_worker": running and health.waiting_without_worker(),
            "result": run.result or {},
        },
    )
