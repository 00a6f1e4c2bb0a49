"""The church track: events, rollouts with the state of every stage, changes to an event,
and the rollout planner."""

from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from ninja import Body, Router, Status
from ninja.pagination import paginate

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.api.auth import TokenAuth, VerifiedSessionAuth
from amparo.api.errors import CHANGE_ERRORS, ERRORS
from amparo.api.filters import ObjectId, regions_asked, seeing_detail, since
from amparo.api.pagination import Pages
from amparo.api.schemas import EventOut, EventPatch, RolloutOut
from amparo.api.versioned import patch_or_conflict
from amparo.disclosure.release import request_release
from amparo.rollout import planner
from amparo.rollout import queries as rollout_queries
from amparo.rollout import services as rollout_services
from amparo.rollout.models import Attendance, Event, Rollout, Stage

router = Router(tags=["church track"])

# The planner's search time through the API: a request must not hold a worker for long.
PLAN_TIME_CAP_S = 30.0


@router.get(
    "/events",
    response={200: list[EventOut], **ERRORS},
    operation_id="amparo_api_endpoints_events",
)
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
    regions = regions_asked(request, region)
    rows = (
        Event.objects.filter(rollout__region__in=regions)
        .select_related("rollout__region", "stage", "team")
        .prefetch_related(Prefetch("attendance", queryset=Attendance.objects.order_by("pk")))
        .annotate(see_small=seeing_detail(request, regions, "rollout__region"))
        .order_by("pk")
    )
    if status:
        rows = rows.filter(status=status)
    if starts_from:
        rows = rows.filter(starts_on__gte=starts_from)
    if starts_to:
        rows = rows.filter(starts_on__lte=starts_to)
    if updated_since:
        rows = rows.filter(updated_at__gte=since(updated_since))
    return rows


def _event_out(request: HttpRequest, pk: int) -> Event:
    """One event as the list gives it, with its attendance."""
    event = rollout_queries.event_by_id_or_404(request.user, pk)
    found = (
        Event.objects.select_related("rollout__region", "stage", "team")
        .prefetch_related(Prefetch("attendance", queryset=Attendance.objects.order_by("pk")))
        .get(pk=event.pk)
    )
    found.see_small = access.sees_small_counts(request.user, found.rollout.region)
    found.release = request_release(request)  # for a conflict's current values
    return found


@router.patch(
    "/events/{id}",
    response={200: EventOut, **CHANGE_ERRORS},
    operation_id="amparo_api_edits_event_patch",
)
def event_patch(request: HttpRequest, payload: EventPatch, id: int = ObjectId):
    """Change an event's dates, city, venue or notes; the stage order is checked as on
    the event's page."""
    event = rollout_queries.event_by_id_or_404(request.user, id)
    access.require(request.user, Capability.CHANGE_REGION, event.rollout.region)
    return patch_or_conflict(
        lambda: rollout_services.event_save(
            rollout=event.rollout,
            by=request.user,
            event=event,
            expected_version=payload.version,
            starts_on=payload.sent("starts_on"),
            ends_on=payload.sent("ends_on"),
            city=payload.sent("city"),
            venue=payload.sent("venue"),
            notes=payload.sent("notes"),
        ),
        current=lambda: _event_out(request, id),
        shape=EventOut,
    )


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


@router.get(
    "/rollouts",
    response={200: list[RolloutOut], **ERRORS},
    operation_id="amparo_api_endpoints_rollouts",
)
@paginate(RolloutPages)
def rollouts(
    request: HttpRequest, region: str | None = None, updated_since: datetime | None = None
):
    """Rollouts of a playbook in a region, with the state of every stage. ``updated_since``
    also finds rollouts whose events changed since, since those move the stages."""
    rows = Rollout.objects.filter(region__in=regions_asked(request, region))
    if updated_since:
        moment = since(updated_since)
        changed = Event.objects.filter(updated_at__gte=moment).values("rollout_id")
        rows = rows.filter(Q(updated_at__gte=moment) | Q(pk__in=changed))
    return _rollouts_with_stages(rows).order_by("pk")


@router.get(
    "/rollouts/{id}",
    response={200: RolloutOut, **ERRORS},
    operation_id="amparo_api_endpoints_rollout",
)
def rollout(request: HttpRequest, id: int = ObjectId):
    """One rollout with the state of every stage."""
    found = rollout_queries.rollout_by_id_or_404(request.user, id)
    return _with_stage_states(_rollouts_with_stages(Rollout.objects.filter(pk=found.pk)).get())


@router.post(
    "/plans",
    response={200: dict, **ERRORS},
    tags=["planner"],
    operation_id="amparo_api_endpoints_plans",
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
