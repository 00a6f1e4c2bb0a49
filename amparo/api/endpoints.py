"""The API's resources. Each list is scoped through ``access`` and filtered by query
parameters; related rows are fetched with joins so a page costs the same at any size."""

from datetime import UTC, date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, Field, Path, Query, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.api.api import TokenAuth, VerifiedSessionAuth, api
from amparo.api.schemas import (
    AssessmentOut,
    ErrorOut,
    EventOut,
    FindingOut,
    ImportedOut,
    IndicatorOut,
    MeasureOut,
    ObservationIn,
    ObservationOut,
    OrganizationOut,
    RegionOut,
    RolloutOut,
    SectorOut,
)
from amparo.assessment.models import Assessment, Finding
from amparo.imports import services as import_services
from amparo.indicators.import_kind import OBSERVATIONS
from amparo.indicators.models import Indicator, Observation, Unit
from amparo.mitigation.models import Measure
from amparo.rollout import planner
from amparo.rollout import queries as rollout_queries
from amparo.rollout.models import Attendance, Event, Rollout, Stage
from amparo.suppression import THRESHOLD, withheld_rows
from amparo.territory.models import Organization, Region, Sector

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}

# The planner's search time through the API: a request must not hold a worker for long.
PLAN_TIME_CAP_S = 30.0

# Row ids are 64-bit; a larger number in a filter is refused (422) before it reaches the
# database, which would fail on it instead of finding nothing.
MAX_ID = 2**63 - 1


class Pages(LimitOffsetPagination):
    """``limit`` up to 500 rows, ``offset`` within what a database index can hold."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=500)
        offset: int = Field(0, ge=0, le=100_000_000)


def _since(moment: datetime) -> datetime:
    """``updated_since`` in UTC: the database accepts any instant but not every offset."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _regions(request: HttpRequest, region: str | None) -> list[Region]:
    """The regions a list covers: the one asked for (404 when the user may not see it, as
    on the pages) or every region the user sees."""
    if region:
        return [access.region_or_404(request.user, region)]
    return list(access.regions_visible(request.user))


def _seeing_small(request: HttpRequest, regions: list[Region], field: str) -> Case:
    """``see_small`` on each row: whether the user may see small counts of its region
    (those who may see its details); for the others counts from 1 to 4 are withheld."""
    detailed = [r.pk for r in regions if access.can(request.user, Capability.VIEW_DETAIL, r)]
    return Case(When(**{f"{field}__in": detailed}, then=Value(True)), default=Value(False))


@api.get("/regions", response={200: list[RegionOut], **ERRORS}, tags=["territory"])
@paginate(Pages)
def regions(request: HttpRequest):
    return access.regions_visible(request.user).order_by("code")


@api.get("/sectors", response={200: list[SectorOut], **ERRORS}, tags=["territory"])
@paginate(Pages)
def sectors(request: HttpRequest):
    access.require_member(request.user)
    return Sector.objects.order_by("code", "pk")


@api.get("/organizations", response={200: list[OrganizationOut], **ERRORS}, tags=["territory"])
@paginate(Pages)
def organizations(
    request: HttpRequest,
    region: str | None = None,
    sector: str | None = None,
    updated_since: datetime | None = None,
):
    rows = Organization.objects.none()
    for r in _regions(request, region):
        rows |= access.organizations_visible(request.user, r)
    rows = rows.select_related("region", "sector")
    if sector:
        rows = rows.filter(sector__code=sector)
    if updated_since:
        rows = rows.filter(updated_at__gte=_since(updated_since))
    return rows.order_by("pk")


@api.get("/events", response={200: list[EventOut], **ERRORS}, tags=["church track"])
@paginate(Pages)
def events(
    request: HttpRequest,
    region: str | None = None,
    status: str | None = None,
    starts_from: date | None = None,
    starts_to: date | None = None,
    updated_since: datetime | None = None,
):
    """Events; ``starts_from`` and ``starts_to`` bound the first day (both included)."""
    regions = _regions(request, region)
    rows = (
        Event.objects.filter(rollout__region__in=regions)
        .select_related("rollout__region", "stage", "team")
        .prefetch_related(Prefetch("attendance", queryset=Attendance.objects.order_by("pk")))
        .annotate(see_small=_seeing_small(request, regions, "rollout__region"))
        .order_by("pk")
    )
    if status:
        rows = rows.filter(status=status)
    if starts_from:
        rows = rows.filter(starts_on__gte=starts_from)
    if starts_to:
        rows = rows.filter(starts_on__lte=starts_to)
    if updated_since:
        rows = rows.filter(updated_at__gte=_since(updated_since))
    return rows


def _rollouts_with_stages(rows: QuerySet[Rollout]) -> QuerySet[Rollout]:
    """Rollouts with what their stage states are computed from, in a fixed number of queries."""
    return rows.select_related("region", "playbook").prefetch_related(
        Prefetch(
            "playbook__stages",
            queryset=Stage.objects.prefetch_related("prerequisites").order_by("order"),
        ),
        Prefetch("events", queryset=Event.objects.order_by("starts_on", "pk")),
    )


def _with_stage_states(rollout: Rollout) -> Rollout:
    """``stages`` on the rollout: each stage of its playbook with its state, as on the
    rollout's board."""
    stages = list(rollout.playbook.stages.all())
    by_code = {s.code: s for s in stages}
    states = rollout_queries.stage_states(stages, rollout.events.all())
    rollout.stages = [
        {
            "code": state.code,
            "name_es": by_code[state.code].name_es,
            "name_en": by_code[state.code].name_en,
            "state": state.state,
            "first_day": state.first_day,
            "last_day": state.last_day,
            "waiting_for": state.waiting_for,
        }
        for state in states
    ]
    return rollout


class RolloutPages(Pages):
    """Pages of rollouts, each with its stage states."""

    def paginate_queryset(
        self,
        queryset: QuerySet[Rollout],
        pagination: Pages.Input,
        request: HttpRequest,
        **params: Any,
    ) -> dict[str, Any]:
        page = super().paginate_queryset(queryset, pagination, request=request, **params)
        page["items"] = [_with_stage_states(r) for r in page["items"]]
        return page


@api.get("/rollouts", response={200: list[RolloutOut], **ERRORS}, tags=["church track"])
@paginate(RolloutPages)
def rollouts(
    request: HttpRequest, region: str | None = None, updated_since: datetime | None = None
):
    """Rollouts of a playbook in a region, with the state of every stage. ``updated_since``
    also finds rollouts whose events changed since, since those move the stages."""
    rows = Rollout.objects.filter(region__in=_regions(request, region))
    if updated_since:
        since = _since(updated_since)
        changed = Event.objects.filter(updated_at__gte=since).values("rollout_id")
        rows = rows.filter(Q(updated_at__gte=since) | Q(pk__in=changed))
    return _rollouts_with_stages(rows).order_by("pk")


@api.get("/rollouts/{id}", response={200: RolloutOut, **ERRORS}, tags=["church track"])
def rollout(request: HttpRequest, id: int = Path(..., ge=1, le=MAX_ID)):
    """One rollout with the state of every stage."""
    found = access.rollout_by_id_or_404(request.user, id)
    return _with_stage_states(_rollouts_with_stages(Rollout.objects.filter(pk=found.pk)).get())


@api.get("/assessments", response={200: list[AssessmentOut], **ERRORS}, tags=["assessment"])
@paginate(Pages)
def assessments(
    request: HttpRequest,
    region: str | None = None,
    status: str | None = None,
    updated_since: datetime | None = None,
):
    rows = Assessment.objects.filter(region__in=_regions(request, region)).select_related("region")
    if status:
        rows = rows.filter(status=status)
    if updated_since:
        rows = rows.filter(updated_at__gte=_since(updated_since))
    return rows.order_by("pk")


@api.get("/findings", response={200: list[FindingOut], **ERRORS}, tags=["assessment"])
@paginate(Pages)
def findings(
    request: HttpRequest,
    region: str | None = None,
    sector: str | None = None,
    round_id: int | None = Query(None, ge=1, le=MAX_ID),
    updated_since: datetime | None = None,
):
    regions = _regions(request, region)
    rows = Finding.objects.filter(
        access.sector_scope(request.user, regions, region_field="assessment__region")
    )
    rows = rows.select_related("assessment__region", "sector", "threat").order_by("pk")
    if sector:
        rows = rows.filter(sector__code=sector)
    if round_id:
        rows = rows.filter(assessment_id=round_id)
    if updated_since:
        rows = rows.filter(updated_at__gte=_since(updated_since))
    # Evidence and justification go only to those who may see the region's details.
    detailed = [r.pk for r in regions if access.can(request.user, Capability.VIEW_DETAIL, r)]
    return rows.annotate(
        see_detail=Case(
            When(assessment__region__in=detailed, then=Value(True)), default=Value(False)
        )
    )


@api.get("/measures", response={200: list[MeasureOut], **ERRORS}, tags=["mitigation"])
@paginate(Pages)
def measures(
    request: HttpRequest,
    region: str | None = None,
    sector: str | None = None,
    status: str | None = None,
    due_from: date | None = None,
    due_to: date | None = None,
    updated_since: datetime | None = None,
):
    """Measures; ``due_from`` and ``due_to`` bound the due date (both included)."""
    regions = _regions(request, region)
    rows = Measure.objects.filter(access.sector_scope(request.user, regions))
    rows = rows.select_related("region", "sector").prefetch_related("findings").order_by("pk")
    if sector:
        rows = rows.filter(sector__code=sector)
    if status:
        rows = rows.filter(status=status)
    if due_from:
        rows = rows.filter(due_on__gte=due_from)
    if due_to:
        rows = rows.filter(due_on__lte=due_to)
    if updated_since:
        rows = rows.filter(updated_at__gte=_since(updated_since))
    return rows


@api.get("/indicators", response={200: list[IndicatorOut], **ERRORS}, tags=["indicators"])
@paginate(Pages)
def indicators(request: HttpRequest):
    access.require_member(request.user)
    return Indicator.objects.order_by("code")


def _observations_withheld(
    request: HttpRequest, regions: list[Region], rows: QuerySet[Observation]
) -> list[int]:
    """Of ``rows`` (whole groups of an indicator, region and period), the counts withheld
    from the user in regions whose details they may not see: small ones, and those that
    would give a small one back (``withheld_rows``). Only groups with a small value are
    read."""
    hidden = [r.pk for r in regions if not access.can(request.user, Capability.VIEW_DETAIL, r)]
    if not hidden:
        return []
    small = Observation.objects.filter(
        indicator=OuterRef("indicator"),
        region=OuterRef("region"),
        period=OuterRef("period"),
        value__gt=0,
        value__lt=THRESHOLD,
    )
    candidates = rows.filter(region__in=hidden, indicator__unit=Unit.COUNT).filter(Exists(small))
    return sorted(
        withheld_rows(
            (pk, (indicator, region, period), disaggregation, float(value))
            for pk, indicator, region, period, disaggregation, value in candidates.values_list(
                "pk", "indicator", "region", "period", "disaggregation", "value"
            )
        )
    )


@api.get("/observations", response={200: list[ObservationOut], **ERRORS}, tags=["indicators"])
@paginate(Pages)
def observations(
    request: HttpRequest,
    region: str | None = None,
    indicator: str | None = None,
    period_from: date | None = None,
    period_to: date | None = None,
    updated_since: datetime | None = None,
):
    """Values; for regions whose details the user may not see, counts from 1 to 4 are
    null, and so are the total and sister values that would give them back."""
    regions = _regions(request, region)
    rows = Observation.objects.filter(region__in=regions)
    if indicator:
        rows = rows.filter(indicator__code=indicator)
    if period_from:
        rows = rows.filter(period__gte=period_from)
    if period_to:
        rows = rows.filter(period__lte=period_to)
    withheld = _observations_withheld(request, regions, rows)
    rows = rows.select_related("indicator", "region").annotate(
        see_small=_seeing_small(request, regions, "region"),
        withheld=Case(When(pk__in=withheld, then=Value(True)), default=Value(False))
        if withheld
        else Value(False),
    )
    if updated_since:
        rows = rows.filter(updated_at__gte=_since(updated_since))
    return rows.order_by("pk")


@api.post("/observations", response={200: ImportedOut, **ERRORS}, tags=["indicators"])
def observations_push(request: HttpRequest, payload: list[ObservationIn]):
    """Add or replace values; the same rules as the file import. All or nothing."""
    if not payload or len(payload) > 1000:
        return Status(
            422,
            {"error": "invalid_request", "detail": _("Send between 1 and 1000 observations.")},
        )
    codes = {item.region.upper() for item in payload}
    allowed = {
        r.code
        for r in access.regions_visible(request.user).filter(code__in=codes)
        if access.can(request.user, Capability.CHANGE_REGION, r)
    }
    visible = {r.code for r in access.regions_visible(request.user).filter(code__in=codes)}
    if codes - visible:
        return Status(404, {"error": "not_found", "detail": sorted(codes - visible)})
    if codes - allowed:
        raise PermissionDenied
    header = ["indicator", "region", "period", "value", "disaggregation", "source", "note"]
    job = import_services.import_rows(
        kind=OBSERVATIONS,
        by=request.user,
        region=None,
        rows=[header] + [[getattr(item, k) for k in header] for item in payload],
        name="API",
    )
    if job.problem_count:
        detail = [
            {"item": row - 2, "field": column, "reason": reason}
            for row, column, reason, _value in job.problems
        ]
        return Status(422, {"error": "invalid_observations", "detail": detail})
    return {"imported": job.rows_imported}


@api.post(
    "/plans",
    response={200: dict, **ERRORS},
    tags=["planner"],
    # The planner computes a schedule and stores nothing: a read-only token may ask for one.
    auth=[TokenAuth(writes=False), VerifiedSessionAuth()],
)
def plans(request: HttpRequest, payload: dict[str, Any] = Body(...)):  # noqa: B008 - ninja's body
    """The rollout planner, with the same input and output as ``amparo plan --json``."""
    access.require_program_admin(request.user)
    try:
        plan = planner.parse_plan_input(payload)
    except planner.PlanInputError as error:
        return Status(422, {"error": "invalid_plan", "detail": str(error)})
    limited = planner.PlanInput(
        plan.start,
        plan.regions,
        plan.stages,
        plan.teams,
        plan.travel_days,
        min(plan.time_limit_s, PLAN_TIME_CAP_S),
    )
    return planner.result_to_json(planner.plan_rollout(limited))
