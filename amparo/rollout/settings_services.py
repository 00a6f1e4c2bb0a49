"""Writes for the church-track settings the planner reads: delivery teams, travel times
between regions and blackout periods. Each function is one transaction; a rule refused
raises ``ValidationError`` with a message for the person, and nothing is written."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo.rollout import travel
from amparo.rollout.models import Blackout, EventStatus, PlanRun, Stage, Team, TravelTime
from amparo.territory.models import Region

# --- teams -------------------------------------------------------------------------------

NAMED_PLANS = 5  # kept plans named when a team cannot be removed; the rest are counted


@transaction.atomic
def team_save(
    *,
    team: Team | None = None,
    code: str | None = None,
    name: str,
    stages: list[Stage],
    home_region: Region | None,
    notes: str = "",
) -> Team:
    """Create a team or change one. Its code is given once, at creation: kept plans and
    the planner's input name teams by code."""
    if team is None:
        team = Team(code=code or "")
    team.name = name
    team.home_region = home_region
    team.notes = notes
    team.full_clean()
    team.save()
    team.stages.set(stages)
    return team


def team_removal_blockers(team: Team) -> list[str]:
    """Why ``team`` cannot be removed without breaking kept data (empty: it can): its
    planned or done events would lose their team, and a kept plan not yet turned into
    events would create events without it."""
    reasons = []
    events = team.events.exclude(status=EventStatus.CANCELLED).count()
    if events:
        reasons.append(
            ngettext(
                "%(n)s planned or done event is delivered by this team.",
                "%(n)s planned or done events are delivered by this team.",
                events,
            )
            % {"n": events}
        )
    plans = [
        run
        for run in PlanRun.objects.filter(applied_at__isnull=True).only("pk", "label", "input")
        if any(t.get("code") == team.code for t in run.input.get("teams", []))
    ]
    if plans:
        named = ", ".join(str(run) for run in plans[:NAMED_PLANS])
        if len(plans) > NAMED_PLANS:
            more = len(plans) - NAMED_PLANS
            named += " " + ngettext("and %(n)s more", "and %(n)s more", more) % {"n": more}
        reasons.append(
            _("Kept plans not yet turned into events use it: %(list)s.") % {"list": named}
        )
    return reasons


@transaction.atomic
def team_delete(*, team: Team) -> None:
    """Remove a team that no planned or done event and no pending kept plan uses;
    cancelled events simply lose their team."""
    reasons = team_removal_blockers(team)
    if reasons:
        raise ValidationError(
            [_("This team cannot be removed:"), *reasons, _("Keep it, or rename it instead.")]
        )
    team.delete()


# --- travel times ------------------------------------------------------------------------


@transaction.atomic
def travel_times_save(
    *, regions: list[Region], cells: dict[travel.Pair, str], same_both_ways: bool
) -> int:
    """Make the stored travel times between ``regions`` exactly the filled ``cells``
    ((origin code, destination code) -> text as typed or pasted): checked as whole days
    from 0 to 60, completed the other way round when the time is the same both ways, and
    an emptied cell removes its travel time. Any bad cell refuses the whole save, with a
    message per cell. Returns how many travel times are stored between them."""
    labels = {r.code: r.name for r in regions}
    checked = travel.check_matrix(cells, same_both_ways=same_both_ways, labels=labels)
    if checked.errors:
        raise ValidationError(
            [
                f"{labels.get(a, a)} → {labels.get(b, b)}: {message}"
                for (a, b), message in sorted(checked.errors.items())
            ]
        )
    by_code = {r.code: r for r in regions}
    stored = {
        (row.origin_id, row.destination_id): row
        for row in TravelTime.objects.filter(origin__in=regions, destination__in=regions)
    }
    wanted = {
        (by_code[a].pk, by_code[b].pk): days
        for (a, b), days in checked.days.items()
        if a in by_code and b in by_code
    }
    TravelTime.objects.filter(pk__in=[r.pk for k, r in stored.items() if k not in wanted]).delete()
    changed = []
    for key, days in wanted.items():
        row = stored.get(key)
        if row is not None and row.days != days:
            row.days = days
            changed.append(row)
    TravelTime.objects.bulk_update(changed, ["days"])
    TravelTime.objects.bulk_create(
        [
            TravelTime(origin_id=a, destination_id=b, days=days)
            for (a, b), days in wanted.items()
            if (a, b) not in stored
        ]
    )
    return len(wanted)


# --- blackouts ---------------------------------------------------------------------------


@transaction.atomic
def blackout_save(
    *,
    region: Region,
    blackout: Blackout | None = None,
    first_day: date,
    last_day: date,
    kind: str,
    reason: str = "",
    every_year: bool = False,
) -> Blackout:
    """Create or change a blackout period of ``region``; a period that repeats every year
    must be shorter than a year."""
    if blackout is not None and blackout.region_id != region.pk:
        raise ValidationError(_("This blackout belongs to another region."))
    blackout = blackout or Blackout(region=region)
    blackout.first_day = first_day
    blackout.last_day = last_day
    blackout.kind = kind
    blackout.reason = reason
    blackout.every_year = every_year
    blackout.full_clean()
    blackout.save()
    return blackout


@transaction.atomic
def blackout_delete(*, region: Region, blackout: Blackout) -> None:
    if blackout.region_id != region.pk:
        raise ValidationError(_("This blackout belongs to another region."))
    blackout.delete()
