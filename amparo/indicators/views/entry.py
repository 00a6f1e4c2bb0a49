"""Typing observations (a grid per region and period), baselines and targets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts import access
from amparo.accounts.access import Capability
from amparo.indicators import periods, services
from amparo.indicators.models import Frequency, Indicator, Observation, Target, TargetKind


def _decimal(text: str) -> Decimal | str | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return "bad"
    return value if value.is_finite() and value >= 0 else "bad"


def _typed_values(
    request: HttpRequest, indicators: list[Indicator], period: date
) -> tuple[dict[Indicator, tuple[date, Decimal | None]], dict[int, str]]:
    """The grid's cells as values to save (an empty cell: None, the value is removed), and
    the message of each cell that is not a number of zero or more."""
    values, errors = {}, {}
    for indicator in indicators:
        parsed = _decimal(request.POST.get(f"v{indicator.pk}", ""))
        if parsed == "bad":
            errors[indicator.pk] = _("Enter a number, zero or more.")
        else:
            values[indicator] = (period, parsed)
    return values, errors


@login_required
def entry_grid(request: HttpRequest, code: str) -> HttpResponse:
    """Type one period's values for every typed indicator of a frequency, and save once."""
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    frequency = request.GET.get("frequency", Frequency.MONTHLY)
    if frequency not in Frequency.values:
        frequency = Frequency.MONTHLY
    period = periods.asked_or_current(
        request.GET.get("period", ""), frequency, timezone.localdate()
    )
    indicators = [i for i in Indicator.objects.filter(frequency=frequency) if i.typed]
    current = {
        o.indicator_id: o.value
        for o in Observation.objects.filter(
            region=region, period=period, disaggregation="", indicator__in=indicators
        )
    }
    errors = {}
    if request.method == "POST":
        values, errors = _typed_values(request, indicators, period)
        if not errors:
            count = services.observations_save(
                region=region,
                by=request.user,
                values=values,
                source=request.POST.get("source", "")[:300],
            )
            messages.success(request, _("%(n)s values saved.") % {"n": count})
            return redirect(
                f"{request.path}?frequency={frequency}&period={periods.label(period, frequency)}"
            )
    rows = [
        (
            i,
            request.POST.get(f"v{i.pk}", "") if request.method == "POST" else current.get(i.pk, ""),
            errors.get(i.pk),
        )
        for i in indicators
    ]
    return render(
        request,
        "indicators/entry.html",
        {
            "region": region,
            "rows": rows,
            "frequency": frequency,
            "frequencies": Frequency.choices,
            "period": period,
            "period_label": periods.label(period, frequency),
            "previous": periods.label(periods.previous_period(period, frequency), frequency),
            "next": periods.label(periods.next_period(period, frequency), frequency),
        },
        status=422 if errors else 200,
    )


@login_required
def targets(request: HttpRequest, code: str, indicator_code: str) -> HttpResponse:
    region = access.region_or_404(request.user, code)
    access.require(request.user, Capability.CHANGE_REGION, region)
    indicator = get_object_or_404(Indicator, code=indicator_code)
    error = None
    if request.method == "POST":
        kind = request.POST.get("kind")
        value = _decimal(request.POST.get("value", ""))
        try:
            period = periods.parse_period(request.POST.get("period", ""), indicator.frequency)
        except ValueError:
            period = None
        if kind not in TargetKind.values or period is None or value == "bad":
            error = _(
                "Choose baseline or target, a period such as 2027-03, 2027-T1 or 2027, "
                "and a number."
            )
        else:
            services.target_save(
                indicator=indicator, region=region, kind=kind, period=period, value=value
            )
            messages.success(request, _("Saved."))
            return redirect("indicator-targets", code=region.code, indicator_code=indicator.code)
    return render(
        request,
        "indicators/targets.html",
        {
            "region": region,
            "indicator": indicator,
            "rows": Target.objects.filter(indicator=indicator, region=region),
            "error": error,
            "kinds": TargetKind.choices,
        },
        status=422 if error else 200,
    )
