"""Ask for a report (program or region), follow its progress, download it."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import pgettext

from amparo.accounts import access
from amparo.ops import health
from amparo.reports import services, tasks
from amparo.reports.models import ReportFile, ReportStatus
from amparo.reports.scope import grants_key


def _request(request: HttpRequest, regions: list, region) -> HttpResponse:
    if request.method != "POST":
        return render(
            request,
            "reports/request.html",
            {
                "region": region,
                "may_full": access.sees_small_counts(request.user, regions),
                "k_public": settings.AMPARO_DISCLOSURE_K_PUBLIC,
                # A focal point's report holds their own sector's findings and measures.
                "own_sectors_only": any(
                    access.sector_filter(request.user, r) != Q() for r in regions
                ),
            },
        )
    kind = (
        request.POST.get("kind")
        if request.POST.get("kind") in ("executive", "workbook")
        else "executive"
    )
    lang = request.POST.get("lang") if request.POST.get("lang") in ("es", "en") else "es"
    # For donors or the public: the public release whoever asks (program admins too).
    # Other reports follow the reader's own release, and leave out what they may not see.
    donor = request.POST.get("donor") == "on"
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
        tasks.generate_report.enqueue(str(report.pk), report.region_ids)
    return redirect("report-status", pk=report.pk)


def report_file_name(report: ReportFile) -> str:
    """The download's name, in the language of the page (ASCII words: some mail and file
    systems still mangle the rest)."""
    scope = report.region.code if report.region else pgettext("report file name", "program")
    audience = "-" + pgettext("report file name", "donors") if report.donor else ""
    return f"amparo-{scope}-{report.kind}{audience}-{report.lang}.{report.file_format}"


@login_required
def program_reports(request: HttpRequest) -> HttpResponse:
    access.require_member(request.user)
    return _request(request, list(access.regions_visible(request.user)), None)


@login_required
def region_reports(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    return _request(request, [region], region)


def _own(request: HttpRequest, pk) -> ReportFile:
    """The user's own unexpired report, while they may still see every region in it (a
    regional report's region, or for a program report the regions it was made over) with
    the same grants as when they asked: a coordinator who became a viewer does not get the
    full report any more."""
    report = get_object_or_404(
        ReportFile.objects.select_related("region"),
        pk=pk,
        created_by=request.user,
        expires_at__gt=timezone.now(),
    )
    if report.region is not None:
        access.region_or_404(request.user, report.region.code)  # still allowed to see it
    elif not set(report.region_ids) <= set(
        access.regions_visible(request.user).values_list("pk", flat=True)
    ):
        raise Http404
    if report.scope_key != grants_key(request.user, set(report.region_ids)):
        raise Http404
    return report


@login_required
def report_status(request: HttpRequest, pk) -> HttpResponse:
    report = _own(request, pk)
    running = report.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)
    no_worker = running and health.waiting_without_worker()
    return render(
        request,
        "reports/status.html",
        {"report": report, "running": running, "no_worker": no_worker},
    )


@login_required
def report_download(request: HttpRequest, pk) -> FileResponse:
    report = _own(request, pk)
    if report.status != ReportStatus.DONE or not report.file:
        raise Http404
    name = report_file_name(report)
    return FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=services.MIME[report.file_format],
    )
