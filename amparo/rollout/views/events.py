"""Events of a rollout: plan, edit, complete, cancel, and their attendance."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.audit import object_history
from amparo.concurrency import edit_page
from amparo.disclosure.release import (
    attendance_hidden,
    church_lists,
    event_training_month,
    request_release,
)
from amparo.form_errors import save_or_form_errors
from amparo.partnerships.models import MaterialVersion
from amparo.rollout import attendance_table, queries, services
from amparo.rollout.forms import AttendanceForm, EventForm
from amparo.rollout.models import Event
from amparo.territory.models import Region


@login_required
def event_edit(
    request: HttpRequest, code: str, rollout_pk: int | None = None, pk: int | None = None
) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    event = queries.event_or_404(request.user, region, pk) if pk else None
    rollout = event.rollout if event else queries.rollout_or_404(request.user, region, rollout_pk)
    may_override = access.is_program_admin(request.user)
    initial = None
    if event is None:
        initial = {"stage": request.GET.get("stage"), "city": region.capital}
    form = EventForm(
        request.POST or None,
        instance=event,
        rollout=rollout,
        may_override=may_override,
        initial=initial,
    )

    def save(values: dict[str, Any], expected: int | None) -> Event:
        return services.event_save(
            rollout=rollout,
            by=request.user,
            event=event,
            expected_version=expected,
            override_reason=values.get("override_reason", ""),
            stage=values["stage"],
            status=values["status"],
            starts_on=values["starts_on"],
            ends_on=values["ends_on"],
            city=values["city"],
            venue=values["venue"],
            team=values["team"],
            notes=values["notes"],
        )

    def saved(row: Event) -> HttpResponse:
        messages.success(request, _("Event saved."))
        return redirect("event-detail", code=region.code, pk=row.pk)

    return edit_page(
        request,
        form,
        save=save,
        reload=lambda: queries.event_or_404(request.user, region, pk),
        refill=lambda current, initial: EventForm(
            instance=current, rollout=rollout, may_override=may_override, initial=initial
        ),
        template="rollout/event_form.html",
        context=lambda row: {"region": region, "rollout": rollout, "event": row},
        saved=saved,
    )


def _event_page(
    request: HttpRequest,
    region: Region,
    event: Event,
    form: AttendanceForm | None,
    status: int = 200,
) -> HttpResponse:
    """The event page, shown after a successful load and with a refused attendance entry."""
    see_small = access.sees_small_counts(request.user, region)
    release = request_release(request)
    attendance = queries.event_attendance(event)
    table = attendance_table.shown_table(
        [(r.pastors, r.leaders, r.others) for r in attendance.rows],
        columns=3,
        hidden=attendance_hidden(release, region.code, event.pk, attendance.rows),
    )
    # The churches listed are counted by a reader: not listed when that count is hidden.
    listed = church_lists(release)(region.code, event_training_month(event))
    return render(
        request,
        "rollout/event_detail.html",
        {
            "region": region,
            "event": event,
            "attendance": attendance,
            "attendance_rows": list(zip(attendance.rows, table.rows, strict=True))
            if listed
            else [],
            "churches_listed": listed,
            "attendance_totals": table.totals,
            "attendance_hides": any("c" in cells for cells in table.rows),
            "capacity_warnings": attendance_table.shown_warnings(
                attendance.warnings, table.totals[0], churches_shown=listed
            ),
            "see_small_counts": see_small,
            "release": release,
            "can_change": access.can(request.user, Capability.CHANGE_REGION, region),
            "may_override": access.is_program_admin(request.user),
            "form": form,
            "material_versions": MaterialVersion.objects.filter(material__stages=event.stage)
            .select_related("material")
            .distinct(),
            "used_versions": set(event.materials_used.values_list("pk", flat=True)),
            "history": object_history(event)
            if access.history_visible(request.user, region)
            else [],
        },
        status=status,
    )


@login_required
def event_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    event = queries.event_or_404(request.user, region, pk)
    can_change = access.can(request.user, Capability.CHANGE_REGION, region)
    return _event_page(
        request, region, event, AttendanceForm(region=region) if can_change else None
    )


def _event_step(request: HttpRequest, code: str, pk: int, step, done: str) -> HttpResponse:
    """Mark an event done or cancel it (``step``, a service), then back to its page with
    ``done`` or the rule that refused it."""
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    event = queries.event_or_404(request.user, region, pk)
    try:
        step(event=event, by=request.user, override_reason=request.POST.get("override_reason", ""))
        messages.success(request, done)
    except services.ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("event-detail", code=region.code, pk=event.pk)


@login_required
@require_POST
def event_complete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _event_step(request, code, pk, services.event_complete, _("Event marked as done."))


@login_required
@require_POST
def event_cancel(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _event_step(request, code, pk, services.event_cancel, _("Event cancelled."))


@login_required
@require_POST
def attendance_save(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    event = queries.event_or_404(request.user, region, pk)
    form = AttendanceForm(request.POST, region=region)
    if form.is_valid() and save_or_form_errors(
        form, lambda: services.attendance_record(event=event, **form.cleaned_data)
    ):
        messages.success(request, _("Attendance saved."))
        return redirect("event-detail", code=region.code, pk=event.pk)
    return _event_page(request, region, event, form, status=422)


@login_required
@require_POST
def attendance_delete(request: HttpRequest, code: str, pk: int, row_pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    event = queries.event_or_404(request.user, region, pk)
    services.attendance_delete(attendance=get_object_or_404(event.attendance, pk=row_pk))
    messages.success(request, _("Attendance row removed."))
    return redirect("event-detail", code=region.code, pk=event.pk)
