"""Reports: request one (reused while nothing changed), generate it, and keep it a while."""

from __future__ import annotations

import hashlib
import logging
from datetime import date, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from amparo import storage
from amparo.accounts.models import User
from amparo.assessment.models import Assessment, Finding, Threat
from amparo.disclosure import release
from amparo.indicators.models import Indicator, Observation, Target
from amparo.mitigation.models import Measure, MeasureMove
from amparo.partnerships.models import Meeting, NextStep
from amparo.policy.models import PolicyItem
from amparo.reports import render, scope
from amparo.reports.models import ReportFile, ReportStatus
from amparo.rollout.models import Attendance, Event, GroupReport, PlanRun, RecoveryGroup, Rollout
from amparo.territory.models import Contact, Region, Sector

MIME = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
logger = logging.getLogger(__name__)
EXPIRE_BATCH = 20  # expired reports deleted per request, so that asking stays quick


# Everything a report reads, with the path from each row to its region (None: rows that
# belong to the whole program). A report stays valid only while none of these changes.
REPORTED_MODELS: tuple[tuple[type[models.Model], str | None], ...] = (
    (Rollout, "region"),
    (Event, "rollout__region"),
    (Attendance, "event__rollout__region"),
    (RecoveryGroup, "rollout__region"),
    (GroupReport, "group__rollout__region"),
    (Assessment, "region"),
    (Finding, "assessment__region"),
    (Measure, "region"),
    (MeasureMove, "measure__region"),
    (Measure.policy_items.through, "measure__region"),
    (Observation, "region"),
    (Target, "region"),
    (Meeting, "region"),
    (Meeting.contacts.through, "meeting__region"),
    (NextStep, "meeting__region"),
    (Contact, "organization__region"),
    (PlanRun, None),
    (Indicator, None),
    (Threat, None),
    (Sector, None),
    (PolicyItem, None),
)

# Of a plan only which one was turned into events matters, not its (large) schedule.
DIGESTED: dict[type[models.Model], tuple[str, ...]] = {PlanRun: ("id", "applied_at")}

# A report still waiting or being made after this long is taken as lost (the worker stopped
# or was restarted while making it), so asking again makes a new one instead of pointing
# at a report that will never be ready. Generating the largest report takes well under it.
STUCK_AFTER = timedelta(minutes=10)


def _model_state(model: type[models.Model], rows: QuerySet) -> str:
    """Rows with a change time: their count and the latest change (the count catches a
    deletion). Rows without one: a digest of their values, which catches any edit."""
    names = {f.name for f in model._meta.concrete_fields}
    if "updated_at" in names:
        state = rows.aggregate(n=Count("pk"), last=Max("updated_at"))
        return f"{state['n']}:{state['last']}"
    columns = DIGESTED.get(model) or sorted(f.attname for f in model._meta.concrete_fields)
    digest = hashlib.sha256(repr(list(rows.order_by("pk").values_list(*columns))).encode())
    return digest.hexdigest()[:16]


def data_state(regions: list[Region]) -> str:
    """A fingerprint of the reported data: it changes when any row a report reads is added,
    edited or removed, which is when a cached report stops being valid."""
    parts = []
    for model, field in REPORTED_MODELS:
        rows = model.objects.all()
        if field is not None:
            rows = rows.filter(**{f"{field}__in": regions})
        parts.append(_model_state(model, rows))
    return "|".join(parts)


def report_period_start(*, region: Region | None, kind: str, by: User) -> date | None:
    """Where a new report's period starts when none was asked for: the day of the previous
    report of the same kind and scope that this person got; None when there is none (the
    summary then starts at the current round)."""
    previous = (
        ReportFile.objects.filter(region=region, kind=kind, created_by=by, status=ReportStatus.DONE)
        .order_by("-created_at")
        .first()
    )
    return timezone.localdate(previous.created_at) if previous else None


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
    """The report to show: a still-valid one with the same parameters, reader's access and
    data (reused), or a new queued one. Returns (report, reused). Reports past their keeping
    time are deleted on the way."""
    reports_expire(limit=EXPIRE_BATCH)
    reader_scope = scope.scope_key(by, regions)
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
                reader_scope,
                data_state(regions),
                # Made while the protection was pending, every count reads "c": once it
                # is stored the report is made again.
                "protected" if release.report_release_ready(by, donor=donor) else "pending",
            ]
        ).encode()
    ).hexdigest()
    now = timezone.now()
    existing = (
        ReportFile.objects.filter(data_key=key, created_by=by, expires_at__gt=now)
        .filter(
            Q(status=ReportStatus.DONE)
            | Q(
                status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING],
                created_at__gt=now - STUCK_AFTER,
            )
        )
        .first()
    )
    if existing:
        return existing, True
    report = ReportFile.objects.create(
        region=region,
        region_ids=[r.pk for r in regions],
        kind=kind,
        file_format=file_format,
        lang=lang,
        donor=donor,
        since=since or report_period_start(region=region, kind=kind, by=by),
        data_key=key,
        scope_key=reader_scope,
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
                queryset,
                user=report.created_by,
                lang=report.lang,
                donor=report.donor,
                since=report.since,
            )
        else:
            content = render.workbook_xlsx(
                queryset, user=report.created_by, lang=report.lang, donor=report.donor
            )
    except Exception:
        ReportFile.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED)
        raise
    try:
        report.file.save(f"{report.pk}", ContentFile(content), save=False)
    except OSError as error:
        # Written whole or not at all (amparo.storage): nothing to clean up.
        logger.error("saving report %s failed: %s", report.pk, error.strerror)
        failure = "disk_full" if storage.disk_full(error) else "write_failed"
        ReportFile.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, failure=failure)
        report.refresh_from_db()
        return report
    report.status = ReportStatus.DONE
    report.save(update_fields=["file", "status"])
    return report


def reports_expire(*, limit: int | None = None) -> int:
    """Delete reports past their keeping time, files included (oldest first, at most
    ``limit`` of them). Runs when a report is asked for and from ``amparo expire-reports``."""
    old = ReportFile.objects.filter(expires_at__lte=timezone.now()).order_by("expires_at")
    found = list(old[:limit] if limit is not None else old)
    for report in found:
        report.file.delete(save=False)
        report.delete()
    return len(found)
