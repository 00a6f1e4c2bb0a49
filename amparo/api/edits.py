"""Changes through the API: findings, measures and events, each through the same service
as its page, so the same rules apply. Every change states the ``version`` the client last
read; a stale one answers 409 with the current version and values, and writes nothing."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Status

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.api.api import api
from amparo.api.endpoints import ERRORS, MAX_ID
from amparo.api.schemas import (
    ErrorOut,
    EventOut,
    EventPatch,
    FindingOut,
    FindingPatch,
    MeasureOut,
    MeasurePatch,
)
from amparo.assessment import services as assessment_services
from amparo.assessment.models import Finding
from amparo.concurrency import VersionConflict
from amparo.mitigation import services as mitigation_services
from amparo.rollout import services as rollout_services
from amparo.rollout.models import Attendance, Event

CHANGE_ERRORS = {**ERRORS, 409: ErrorOut}
ObjectId = Path(..., ge=1, le=MAX_ID)


def _conflict(current: object, schema: type) -> Status:
    return Status(
        409,
        {
            "error": "conflict",
            "detail": {
                "message": _("Someone else changed it since the version you sent."),
                "version": current.version,
                "current": schema.from_orm(current).model_dump(mode="json"),
            },
        },
    )


def _finding_out(request: HttpRequest, pk: int) -> Finding:
    finding = access.finding_by_id_or_404(request.user, pk)
    finding.see_detail = access.can(
        request.user, Capability.VIEW_DETAIL, finding.assessment.region, finding.sector_id
    )
    return finding


@api.patch("/findings/{id}", response={200: FindingOut, **CHANGE_ERRORS}, tags=["assessment"])
def finding_patch(request: HttpRequest, payload: FindingPatch, id: int = ObjectId):
    """Change a finding's ratings, controls, evidence or confidence."""
    finding = access.finding_by_id_or_404(request.user, id)
    assessment = finding.assessment
    access.require(request.user, Capability.CHANGE_SECTOR, assessment.region, finding.sector_id)
    fields = payload.model_dump(exclude_unset=True)
    expected = fields.pop("version")
    try:
        assessment_services.finding_save(
            assessment=assessment,
            by=request.user,
            finding=finding,
            expected_version=expected,
            **fields,
        )
    except VersionConflict:
        return _conflict(_finding_out(request, id), FindingOut)
    return _finding_out(request, id)


@api.patch("/measures/{id}", response={200: MeasureOut, **CHANGE_ERRORS}, tags=["mitigation"])
def measure_patch(request: HttpRequest, payload: MeasurePatch, id: int = ObjectId):
    """Change a measure's title, description, dates or expected effect."""
    measure = access.measure_by_id_or_404(request.user, id)
    access.require(request.user, Capability.CHANGE_SECTOR, measure.region, measure.sector_id)
    fields = payload.model_dump(exclude_unset=True)
    expected = fields.pop("version")
    try:
        mitigation_services.measure_save(
            region=measure.region,
            by=request.user,
            measure=measure,
            expected_version=expected,
            **fields,
        )
    except VersionConflict:
        return _conflict(access.measure_by_id_or_404(request.user, id), MeasureOut)
    return access.measure_by_id_or_404(request.user, id)


def _event_out(request: HttpRequest, pk: int) -> Event:
    event = access.event_by_id_or_404(request.user, pk)
    found = (
        Event.objects.select_related("rollout__region", "stage", "team")
        .prefetch_related(Prefetch("attendance", queryset=Attendance.objects.order_by("pk")))
        .get(pk=event.pk)
    )
    found.see_small = access.can(request.user, Capability.VIEW_DETAIL, found.rollout.region)
    return found


@api.patch("/events/{id}", response={200: EventOut, **CHANGE_ERRORS}, tags=["church track"])
def event_patch(request: HttpRequest, payload: EventPatch, id: int = ObjectId):
    """Change an event's dates, city, venue or notes; the stage order is checked as on
    the event's page."""
    event = access.event_by_id_or_404(request.user, id)
    access.require(request.user, Capability.CHANGE_REGION, event.rollout.region)
    fields = payload.model_dump(exclude_unset=True)
    expected = fields.pop("version")
    try:
        rollout_services.event_save(
            rollout=event.rollout,
            by=request.user,
            event=event,
            expected_version=expected,
            **fields,
        )
    except VersionConflict:
        return _conflict(_event_out(request, id), EventOut)
    return _event_out(request, id)
