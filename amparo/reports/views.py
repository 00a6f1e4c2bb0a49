"""Ask for a report (program or region), follow its progress, download it."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.reports import services, tasks
from amparo.reports.models import ReportFile, ReportStatus


def _request(request: HttpRequest, regions: list, region) -> HttpResponse:
    if request.method != "POST":
        return render(
            request,
            "reports/request.html",
            {
                "region": region,
                "may_full": all(
                    access.can(request.user, Capability.VIEW_DETAIL, r) for r in regions
                ),
            },
        )
    kind = (
        request.POST.get("kind")
        if request.POST.get("kind") in ("executive", "workbook")
        else "executive"
    )
    lang = request.POST.get("lang") if request.POST.get("lang") in ("es", "en") else "es"
    may_full = all(access.can(request.user, Capability.VIEW_DETAIL, r) for r in regions)
    donor = (
        request.POST.get("donor") == "on" or not may_full
    )  # viewers only ever get the donor version
    try:
        since = (
            date.fromisoformat(request.POST.get("since", "")) if request.POST.get("since") else None
        )
    except ValueError:
        since = None
    report, reused = services.report_request(
        regions=regions,
        region=region,
        kind=kind,
        file_format="pdf" if kind == "executive" else "xlsx",
        lang=lang,
        donor=donor,
        since=since,
        by=request.user,
    )
    if not reused:
        tasks.generate_report.enqueue(str(report.pk), [r.pk for r in regions])
    return redirect("report-status", pk=report.pk)


@login_required
def program_reports(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    return _request(request, list(access.regions_visible(request.user)), None)


@login_required
def region_reports(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    return _request(request, [region], region)


def _own(request: HttpRequest, pk) -> ReportFile:
    report = get_object_or_404(
        ReportFile, pk=pk, created_by=request.user, expires_at__gt=timezone.now()
    )
    if report.region is not None:
        access.region_or_404(request.user, report.region.code)  # still allowed to see it
    return report


@login_required
def report_status(request: HttpRequest, pk) -> HttpResponse:
    report = _own(request, pk)
    running = report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
    return render(request, "reports/status.html", {"report": report, "running": running})


@login_required
def report_download(request: HttpRequest, pk) -> FileResponse:
    report = _own(request, pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    scope = report.region.code if report.region else "programa"
    audience = "-donantes" if report.donor else ""
    name = f"amparo-{scope}-{report.kind}{audience}-{report.lang}.{report.file_format}"
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=services.MIME[report.file_format],
    )
