"""Measures of a region: list, library, create, edit, move, evidence, systemic view."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.assessment.models import Threat
from amparo.audit import object_history
from amparo.concurrency import edit_page
from amparo.downloads import csv_download
from amparo.form_errors import save_or_form_errors
from amparo.mitigation import columns, lifecycle, queries, services
from amparo.mitigation.forms import EvidenceForm, MeasureForm, MoveForm
from amparo.mitigation.models import Control, Measure, MeasureKind, MeasureStatus
from amparo.tabular import table
from amparo.territory import queries as territory_queries


@login_required
def measure_list(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    measures = queries.measures_visible(request.user, region)
    filters = {k: request.GET.get(k, "") for k in ("sector", "kind", "status")}
    if filters["sector"]:
        measures = measures.filter(sector__code=filters["sector"])
    if filters["kind"] in MeasureKind.values:
        measures = measures.filter(kind=filters["kind"])
    if filters["status"] in MeasureStatus.values:
        measures = measures.filter(status=filters["status"])
    only_overdue = request.GET.get("overdue") == "1"
    if only_overdue:
        measures = queries.overdue(measures, timezone.localdate())
    if request.GET.get("format") == "csv":
        return csv_download(
            f"medidas-{region.code}",
            *table(columns.REGION_LIST, queries.measure_list(measures)),
        )
    return render(
        request,
        "mitigation/measure_list.html",
        {
            "region": region,
            "measures": queries.measure_list(measures),
            "filters": filters,
            "only_overdue": only_overdue,
            "today": timezone.localdate(),
            "open_statuses": lifecycle.OPEN,
            "sectors": territory_queries.sectors_visible(request.user, region),
            "kinds": MeasureKind.choices,
            "statuses": MeasureStatus.choices,
            "can_add": territory_queries.sectors_changeable(request.user, region).exists(),
        },
    )


@login_required
def library(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    sectors = territory_queries.sectors_changeable(request.user, region)
    if not sectors.exists():
        access.require(request.user, Capability.CHANGE_SECTOR, region)
    filters = {k: request.GET.get(k, "").strip() for k in ("sector", "threat")}
    kinds = [k for k in request.GET.getlist("kind") if k in MeasureKind.values]
    controls = list(
        queries.library_controls(
            sectors, sector_code=filters["sector"], threat_code=filters["threat"], kinds=kinds
        )
    )
    threats = Threat.objects.filter(sector__in=sectors).order_by("code")
    threat = next((t for t in threats if t.code == filters["threat"]), None)
    finding = request.GET.get("finding", "")
    absent = queries.kinds_without_control(kinds, (c.kind for c in controls)) if threat else []
    return render(
        request,
        "mitigation/library.html",
        {
            "region": region,
            "controls": controls,
            "filters": filters,
            "kinds": kinds,
            "kind_choices": MeasureKind.choices,
            "sectors": sectors,
            "threats": threats,
            "threat": threat,
            "absent_kinds": [(k, MeasureKind(k).label) for k in absent],
            "finding": finding if finding.isdigit() else "",
        },
    )


@login_required
@require_POST
def measure_from_control(request: HttpRequest, code: str, control_pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    control = get_object_or_404(Control, pk=control_pk)
    access.require(request.user, Capability.CHANGE_SECTOR, region, control.sector_id)
    measure = services.measure_from_control(region=region, control=control, by=request.user)
    messages.success(request, _("Measure created from the library; adapt it to the region."))
    return redirect("measure-edit", code=region.code, pk=measure.pk)


@login_required
def measure_edit(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    measure = queries.measure_or_404(request.user, region, pk) if pk else None
    sectors = territory_queries.sectors_changeable(request.user, region)
    if measure is not None:
        access.require(request.user, Capability.CHANGE_SECTOR, region, measure.sector_id)
    elif not sectors.exists():
        raise PermissionDenied
    # A new measure's sector is chosen on the form; the service checks the pair.
    owners = access.people_who_can_change(region, measure.sector_id if measure else None)
    form = MeasureForm(
        request.POST or None,
        instance=measure,
        region=region,
        sectors=sectors,
        owners=owners,
        initial=_new_measure_initial(request) if measure is None else None,
    )

    def save(values: dict[str, Any], expected: int | None) -> Measure:
        return services.measure_save(
            region=region,
            by=request.user,
            measure=measure,
            expected_version=expected,
            sector=values["sector"],
            kind=values["kind"],
            title=values["title"],
            description=values["description"],
            organization=values["organization"],
            responsible=values["responsible"],
            owner=values["owner"],
            findings=list(values["findings"]),
            starts_on=values["starts_on"],
            due_on=values["due_on"],
            lowers_likelihood=values["lowers_likelihood"],
            lowers_impact=values["lowers_impact"],
            policy_items=list(values["policy_items"]),
        )

    def saved(row: Measure) -> HttpResponse:
        messages.success(request, _("Measure saved."))
        return redirect("measure-detail", code=region.code, pk=row.pk)

    return edit_page(
        request,
        form,
        save=save,
        reload=lambda: queries.measure_or_404(request.user, region, pk),
        refill=lambda current, initial: MeasureForm(
            instance=current, region=region, sectors=sectors, owners=owners, initial=initial
        ),
        template="mitigation/measure_form.html",
        context=lambda row: {"region": region, "measure": row},
        saved=saved,
    )


def _new_measure_initial(request: HttpRequest) -> dict[str, object]:
    """What a link to a new measure may preselect: sector, kind and the finding it treats
    (only choices the form offers are kept by it)."""
    initial: dict[str, object] = {"sector": request.GET.get("sector")}
    if request.GET.get("kind") in MeasureKind.values:
        initial["kind"] = request.GET["kind"]
    if request.GET.get("finding", "").isdigit():
        initial["findings"] = [int(request.GET["finding"])]
    return initial


def _detail(
    request: HttpRequest, region, measure, evidence_form=None, status: int = 200
) -> HttpResponse:
    can_change = access.can(request.user, Capability.CHANGE_SECTOR, region, measure.sector_id)
    return render(
        request,
        "mitigation/measure_detail.html",
        {
            "region": region,
            "measure": measure,
            "moves": measure.moves.select_related("by"),
            "evidence": measure.evidence.select_related("uploaded_by"),
            "findings": measure.findings.select_related("threat", "assessment"),
            "policy_items": measure.policy_items.select_related("instrument"),
            "next_statuses": [
                (s, MeasureStatus(s).label) for s in sorted(lifecycle.ALLOWED_MOVES[measure.status])
            ],
            "can_change": can_change,
            "see_detail": access.can(
                request.user, Capability.VIEW_DETAIL, region, measure.sector_id
            ),
            "evidence_form": evidence_form or (EvidenceForm() if can_change else None),
            "max_mb": services.settings.AMPARO_MAX_UPLOAD_MB,
            "history": object_history(measure)
            if access.history_visible(request.user, region, measure.sector_id)
            else [],
        },
        status=status,
    )


@login_required
def measure_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    return _detail(request, region, queries.measure_or_404(request.user, region, pk))


@login_required
@require_POST
def measure_move(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    measure = queries.measure_or_404(request.user, region, pk)
    access.require(request.user, Capability.CHANGE_SECTOR, region, measure.sector_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the status changes offered on this page."))
        return _detail(request, region, measure, status=400)
    try:
        services.measure_move(
            measure=measure,
            to=form.cleaned_data["to"],
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("Status changed."))
    except services.ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("measure-detail", code=region.code, pk=measure.pk)


@login_required
@require_POST
def evidence_add(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    measure = queries.measure_or_404(request.user, region, pk)
    access.require(request.user, Capability.CHANGE_SECTOR, region, measure.sector_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid() and save_or_form_errors(
        form,
        lambda: services.evidence_add(
            measure=measure,
            by=request.user,
            description=form.cleaned_data["description"],
            upload=form.cleaned_data["file"] or None,
            url=form.cleaned_data["url"],
        ),
    ):
        messages.success(request, _("Evidence added."))
        return redirect("measure-detail", code=region.code, pk=measure.pk)
    return _detail(request, region, measure, evidence_form=form, status=422)


@login_required
def evidence_download(request: HttpRequest, code: str, pk: int, evidence_pk: int) -> FileResponse:
    region = access.region_or_404(request.user, code)
    measure = queries.measure_or_404(request.user, region, pk)
    access.require(request.user, Capability.VIEW_DETAIL, region, measure.sector_id)
    evidence = get_object_or_404(measure.evidence, pk=evidence_pk)
    if not evidence.file:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name or "evidence",
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def systemic(request: HttpRequest, code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    view = queries.systemic_view(
        region,
        queries.measures_visible(request.user, region),
        territory_queries.sectors_visible(request.user, region),
    )
    return render(request, "mitigation/systemic.html", {"region": region, "view": view})


@login_required
def my_measures(request: HttpRequest) -> HttpResponse:
    measures = queries.measure_list(queries.measures_followed(request.user)).order_by("due_on")
    return render(
        request,
        "mitigation/my_measures.html",
        {"measures": measures, "today": timezone.localdate(), "open_statuses": lifecycle.OPEN},
    )
