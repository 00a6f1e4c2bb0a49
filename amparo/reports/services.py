"""Reports: request one (reused while nothing changed), generate it, and keep it a while."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models import Count, Max
from django.utils import timezone

from amparo.accounts.models import User
from amparo.assessment.models import Finding
from amparo.indicators.models import Observation
from amparo.mitigation.models import Measure
from amparo.reports import render
from amparo.reports.models import ReportFile, ReportStatus
from amparo.rollout.models import Event
from amparo.territory.models import Region

MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def data_state(regions: list[Region]) -> str:
    """A fingerprint of the reported data: it changes when any row is added, edited or
    removed, which is when a cached report stops being valid."""
    parts = []
    for model, field in (
        (Event, "rollout__region"),
        (Finding, "assessment__region"),
        (Measure, "region"),
        (Observation, "region"),
    ):
        state = model.objects.filter(**{f"{field}__in": regions}).aggregate(
            n=Count("pk"), last=Max("updated_at")
        )
        parts.append(f"{state['n']}:{state['last']}")
    return "|".join(parts)


def report_request(
    *,
    regions: list[Region],
    region: Region | None,
    kind: str,
    file_format: str,
    lang: str,
    donor: bool,
    since: date | None,
    by: User,
) -> tuple[ReportFile, bool]:
    """The report to show: a still-valid one with the same parameters and data (reused), or
    a new queued one. Returns (report, reused)."""
    key = hashlib.sha256(
        "|".join(
            [
                str(region.pk if region else "program"),
                ",".join(str(r.pk) for r in regions),
                kind,
                file_format,
                lang,
                str(donor),
                str(since),
                data_state(regions),
            ]
        ).encode()
    ).hexdigest()
    now = timezone.now()
    existing = (
        ReportFile.objects.filter(data_key=key, created_by=by, expires_at__gt=now)
        .exclude(status=ReportStatus.FAILED)
        .first()
    )
    if existing:
        return existing, True
    report = ReportFile.objects.create(
        region=region,
        kind=kind,
        file_format=file_format,
        lang=lang,
        donor=donor,
        since=since,
        data_key=key,
        created_by=by,
        expires_at=now + timedelta(days=settings.AMPARO_REPORT_DAYS),
    )
    return report, False


def report_generate(*, report: ReportFile, regions: list[Region]) -> ReportFile:
    ReportFile.objects.filter(pk=report.pk).update(status=ReportStatus.RUNNING)
    queryset = Region.objects.filter(pk__in=[r.pk for r in regions])
    try:
        if report.kind == "executive":
            content = render.summary_pdf(
                queryset, lang=report.lang, donor=report.donor, since=report.since
            )
        else:
            content = render.workbook_xlsx(queryset, lang=report.lang, donor=report.donor)
    except Exception:
        ReportFile.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED)
        raise
    report.file.save(f"{report.pk}", ContentFile(content), save=False)
    report.status = ReportStatus.DONE
    report.save(update_fields=["file", "status"])
    return report


def reports_expire() -> int:
    """Delete reports past their keeping time (run with the worker or from cron)."""
    old = list(ReportFile.objects.filter(expires_at__lte=timezone.now()))
    for report in old:
        report.file.delete(save=False)
        report.delete()
    return len(old)
