"""Writes for the church track. Each function is one transaction; rule violations raise
``ValidationError`` with a message for the person, and nothing is written."""

from __future__ import annotations

import copy
import hashlib
import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo import concurrency
from amparo.accounts import access
from amparo.accounts.models import User
from amparo.catalog import read_pack_file
from amparo.catalog.sync import LoadCount
from amparo.concurrency import UNCHANGED, Unchanged
from amparo.rollout import progress
from amparo.rollout.models import (
    Attendance,
    CalendarFeed,
    Event,
    EventStatus,
    GroupReport,
    Playbook,
    RecoveryGroup,
    Rollout,
    Stage,
    Team,
)
from amparo.territory.models import Organization, OrganizationKind, Region


class StageOrderError(ValidationError):
    """A change would break the stage order, for the event itself or for events of stages
    that depend on it; a program admin may override."""


def describe_problem(problem: progress.Problem, stage_names: dict[str, str]) -> str:
    name = stage_names.get(problem.prerequisite, problem.prerequisite)
    if problem.reason == "missing":
        return _("“%(stage)s” must come first and has no planned or done event yet.") % {
            "stage": name
        }
    if problem.reason == "not_done":
        return _("“%(stage)s” must be done first.") % {"stage": name}
    return _("“%(stage)s” requires waiting: the earliest start is %(date)s.") % {
        "stage": name,
        "date": problem.earliest.isoformat() if problem.earliest else "?",
    }


def describe_broken_dependent(
    dependent: progress.EventSpec, problem: progress.Problem, stage_names: dict[str, str]
) -> str:
    """Why a change is refused because of a later event that relies on it."""
    values = {
        "dependent": stage_names.get(dependent.stage, dependent.stage),
        "date": dependent.start.isoformat(),
        "stage": stage_names.get(problem.prerequisite, problem.prerequisite),
        "earliest": problem.earliest.isoformat() if problem.earliest else "?",
    }
    if problem.reason == "missing":
        return (
            _(
                "The “%(dependent)s” event of %(date)s needs “%(stage)s” before it, and no "
                "planned or done event of that stage would be left."
            )
            % values
        )
    if problem.reason == "not_done":
        return (
            _("The “%(dependent)s” event of %(date)s is done and needs “%(stage)s” done first.")
            % values
        )
    return (
        _(
            "The “%(dependent)s” event of %(date)s would start too soon after “%(stage)s”: "
            "the earliest start would be %(earliest)s."
        )
        % values
    )


# --- playbooks ---------------------------------------------------------------------------


@transaction.atomic
def playbook_save(
    *,
    playbook: Playbook | None = None,
    code: str | Unchanged = UNCHANGED,
    name_es: str | Unchanged = UNCHANGED,
    name_en: str | Unchanged = UNCHANGED,
    description_es: str | Unchanged = UNCHANGED,
    description_en: str | Unchanged = UNCHANGED,
) -> Playbook:
    """Create a playbook or change its names and descriptions (fields left ``UNCHANGED``
    keep their stored value)."""
    playbook = playbook or Playbook()
    concurrency.apply_changes(
        playbook,
        {"code": code, "name_es": name_es, "name_en": name_en,
         "description_es": description_es, "description_en": description_en},
    )  # fmt: skip
    playbook.full_clean()
    playbook.save()
    return playbook


@transaction.atomic
def stage_save(
    *,
    playbook: Playbook,
    stage: Stage | None = None,
    prerequisites: list[Stage],
    order: int | Unchanged = UNCHANGED,
    code: str | Unchanged = UNCHANGED,
    kind: str | Unchanged = UNCHANGED,
    name_es: str | Unchanged = UNCHANGED,
    name_en: str | Unchanged = UNCHANGED,
    description_es: str | Unchanged = UNCHANGED,
    description_en: str | Unchanged = UNCHANGED,
    typical_days: int | Unchanged = UNCHANGED,
    min_gap_days: int | Unchanged = UNCHANGED,
    max_pastors: int | Unchanged | None = UNCHANGED,
    max_churches: int | Unchanged | None = UNCHANGED,
) -> Stage:
    """Create or change a stage. Prerequisites must be earlier stages of the same playbook,
    and a stage cannot move before the stages that depend on it. Fields left ``UNCHANGED``
    keep their stored value."""
    stage = stage or Stage(playbook=playbook)
    concurrency.apply_changes(
        stage,
        {"order": order, "code": code, "kind": kind, "name_es": name_es, "name_en": name_en,
         "description_es": description_es, "description_en": description_en,
         "typical_days": typical_days, "min_gap_days": min_gap_days,
         "max_pastors": max_pastors, "max_churches": max_churches},
    )  # fmt: skip
    errors = []
    for prerequisite in prerequisites:
        if prerequisite.playbook_id != playbook.pk or prerequisite.pk == stage.pk:
            errors.append(_("A stage can only depend on other stages of its playbook."))
        elif prerequisite.order >= stage.order:
            errors.append(
                _(
                    "“%(stage)s” comes at or after this stage in the order; "
                    "a prerequisite must come earlier."
                )
                % {"stage": prerequisite.name}
            )
    if stage.pk:
        later = stage.dependents.filter(order__lte=stage.order)
        errors += [
            _("“%(stage)s” depends on this stage and would come before it.") % {"stage": d.name}
            for d in later
        ]
    if errors:
        raise ValidationError(errors)
    stage.full_clean()
    stage.save()
    stage.prerequisites.set(prerequisites)
    return stage


@transaction.atomic
def stage_delete(*, stage: Stage) -> None:
    """Remove a stage that no event uses yet."""
    if stage.events.exists():
        raise ValidationError(_("This stage has events and cannot be removed."))
    stage.delete()


def _english_description_added(row: Playbook | Stage, entry: dict) -> bool:
    """Give a row loaded before descriptions had an English text the catalog's one, when
    its English text is still empty and its Spanish text is still the catalog's: that
    fills a gap and overwrites nobody's edit. Returns whether the row changed."""
    english = entry.get("description_en", "")
    if row.description_en or not english or row.description_es != entry["description_es"]:
        return False
    row.description_en = english
    row.save(update_fields=["description_en"])
    return True


@transaction.atomic
def playbook_catalog_load(*, pack: str, count: LoadCount) -> None:
    """Create the pack's playbooks and stages that are missing. Existing ones are left as
    users edited them: a catalog update never overwrites a user's edits; it only adds an
    English description where none was written yet."""
    content = read_pack_file(pack, "playbooks")
    for entry in content["playbooks"]:
        playbook, created = Playbook.objects.get_or_create(
            code=entry["code"],
            defaults={
                k: entry[k] for k in ("name_es", "name_en", "description_es", "description_en")
            },
        )
        if not created:
            count.add(
                "playbooks", created=False, changed=_english_description_added(playbook, entry)
            )
            stages = {s.code: s for s in playbook.stages.all()}
            for spec in entry["stages"]:
                stage = stages.get(spec["code"])
                if stage is not None:
                    changed = _english_description_added(stage, spec)
                    count.add("stages", created=False, changed=changed)
            continue
        count.add("playbooks", created=True, changed=False)
        by_code: dict[str, Stage] = {}
        for order, spec in enumerate(entry["stages"], start=1):
            stage = Stage.objects.create(
                playbook=playbook,
                order=order,
                **{k: v for k, v in spec.items() if k != "after"},
            )
            stage.prerequisites.set([by_code[code] for code in spec.get("after", [])])
            by_code[stage.code] = stage
            count.add("stages", created=True, changed=False)


# --- rollouts and events -----------------------------------------------------------------


@transaction.atomic
def rollout_start(
    *, region: Region, playbook: Playbook, started_on: date | None, notes: str = ""
) -> Rollout:
    """Begin following ``playbook`` in ``region``."""
    rollout = Rollout(region=region, playbook=playbook, started_on=started_on, notes=notes)
    rollout.full_clean()
    rollout.save()
    return rollout


def _spec(event: Event, codes: dict[int, str]) -> progress.EventSpec:
    return progress.EventSpec(codes[event.stage_id], event.status, event.starts_on, event.ends_on)


def _check_stage_order(
    *, event: Event, before: Event | None, by: User, override_reason: str, own: bool
) -> None:
    """Refuse a change of ``event`` (from ``before``, None for a new one) that breaks the
    stage order: with ``own``, the event's own prerequisites must allow it; and no event
    of the rollout that relies on this one may lose a prerequisite it had. A program
    admin's reason overrides both and is recorded on the event."""
    stages = list(event.rollout.playbook.stages.prefetch_related("prerequisites"))
    codes = {s.pk: s.code for s in stages}
    specs = {
        s.code: progress.StageSpec(
            s.code, s.order, tuple(codes[p.pk] for p in s.prerequisites.all()), s.min_gap_days
        )
        for s in stages
    }
    names = {s.code: s.name for s in stages}
    rows = event.rollout.events.exclude(pk=event.pk).only(
        "stage_id", "status", "starts_on", "ends_on"
    )
    others = [_spec(e, codes) for e in rows]
    after = _spec(event, codes)
    messages = []
    if own and event.status != EventStatus.CANCELLED:
        problems = progress.prerequisite_problems(
            specs[after.stage],
            event.starts_on,
            others,
            require_done=event.status == EventStatus.DONE,
        )
        messages += [describe_problem(p, names) for p in problems]
    broken = progress.broken_dependents(
        specs, others, before=_spec(before, codes) if before else None, after=after
    )
    messages += [describe_broken_dependent(others[i], p, names) for i, p in broken]
    if not messages:
        return
    if override_reason.strip() and access.is_program_admin(by):
        event.override_reason = override_reason.strip()
        event.override_by = by
        return
    raise StageOrderError(messages)


def _keeps_override(event: Event, before: Event | None) -> bool:
    """An event whose order a program admin already overrode keeps that decision while its
    stage and dates stay as they were: it is not checked (or overridden) again."""
    return (
        before is not None
        and bool(before.override_reason)
        and (before.stage_id, before.starts_on, before.ends_on)
        == (event.stage_id, event.starts_on, event.ends_on)
    )


# Lifecycle actions reread the event they change, with what their checks and pages use.
_EVENT_ROWS = Event.objects.select_related("stage", "rollout__playbook", "rollout__region", "team")


@transaction.atomic
def event_save(
    *,
    rollout: Rollout,
    by: User,
    event: Event | None = None,
    expected_version: int | None = None,
    override_reason: str = "",
    stage: Stage | Unchanged = UNCHANGED,
    status: str | Unchanged = UNCHANGED,
    starts_on: date | Unchanged = UNCHANGED,
    ends_on: date | Unchanged = UNCHANGED,
    city: str | Unchanged = UNCHANGED,
    venue: str | Unchanged = UNCHANGED,
    team: Team | Unchanged | None = UNCHANGED,
    notes: str | Unchanged = UNCHANGED,
) -> Event:
    """Plan an event or change one. The stage order is checked against the rollout's other
    events: planning needs each prerequisite planned or done early enough, a done event
    needs them done, and a change may not take away what a later stage's event relies on.
    Only a program admin may override, and the reason is recorded; an event already
    overridden keeps its reason while its stage and dates are unchanged. Fields left
    ``UNCHANGED`` keep their stored value (a new event needs its stage, dates and city).

    A change states the ``expected_version`` it was loaded with and raises
    ``concurrency.VersionConflict`` (writing nothing) when someone saved meanwhile; without
    it the fields given are applied to the event as it is now."""
    if event is not None and expected_version is not None:
        concurrency.claim(event, expected=expected_version)
    elif event is not None:
        event = concurrency.claim_current(_EVENT_ROWS, event.pk)
    before = (
        Event.objects.only("stage_id", "status", "starts_on", "ends_on", "override_reason").get(
            pk=event.pk
        )
        if event is not None
        else None
    )
    event = event or Event(rollout=rollout)
    concurrency.apply_changes(
        event,
        {
            "stage": stage,
            "status": status,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "city": city,
            "venue": venue,
            "team": team,
            "notes": notes,
        },
    )
    if event.stage.playbook_id != rollout.playbook_id:
        raise ValidationError({"stage": _("This stage belongs to another playbook.")})
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("Use “cancel” to cancel an event."))
    if event.status == EventStatus.DONE and event.starts_on > timezone.localdate():
        raise ValidationError(_("An event cannot be marked done before it starts."))
    event.full_clean()
    _check_stage_order(
        event=event,
        before=before,
        by=by,
        override_reason=override_reason,
        own=not _keeps_override(event, before),
    )
    event.save()
    return event


@transaction.atomic
def event_complete(*, event: Event, by: User, override_reason: str = "") -> Event:
    """Mark an event done; its prerequisites must be done (or a program admin overrides).
    An event whose order was already overridden keeps that reason."""
    event = concurrency.claim_current(_EVENT_ROWS, event.pk)
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("A cancelled event cannot be marked done."))
    if event.starts_on > timezone.localdate():
        raise ValidationError(_("An event cannot be marked done before it starts."))
    before = copy.copy(event)
    event.status = EventStatus.DONE
    _check_stage_order(
        event=event,
        before=before,
        by=by,
        override_reason=override_reason,
        own=not before.override_reason,
    )
    event.save()
    return event


@transaction.atomic
def event_cancel(*, event: Event, by: User, override_reason: str = "") -> Event:
    """Cancel an event; its attendance, if any, stays recorded. An event that a planned or
    done event of a later stage relies on can only be cancelled by a program admin giving
    a reason, which is recorded."""
    event = concurrency.claim_current(_EVENT_ROWS, event.pk)
    before = copy.copy(event)
    event.status = EventStatus.CANCELLED
    _check_stage_order(
        event=event, before=before, by=by, override_reason=override_reason, own=False
    )
    event.save(update_fields=["status", "override_reason", "override_by", "version", "updated_at"])
    return event


ATTENDING_KINDS = (OrganizationKind.CHURCH, OrganizationKind.FRATERNITY)


@transaction.atomic
def attendance_record(
    *, event: Event, organization: Organization, pastors: int, leaders: int, others: int
) -> Attendance:
    """Record (or correct) how many came from one church or fraternity."""
    if organization.region_id != event.rollout.region_id:
        raise ValidationError({"organization": _("This organization is in another region.")})
    if organization.kind not in ATTENDING_KINDS:
        raise ValidationError(
            {"organization": _("Attendance is recorded per church or fraternity.")}
        )
    if event.status == EventStatus.CANCELLED:
        raise ValidationError(_("This event was cancelled."))
    if event.starts_on > timezone.localdate():
        raise ValidationError(_("Attendance can be recorded once the event has started."))
    attendance, _created = Attendance.objects.get_or_create(event=event, organization=organization)
    attendance.pastors, attendance.leaders, attendance.others = pastors, leaders, others
    attendance.full_clean()
    attendance.save()
    return attendance


@transaction.atomic
def attendance_delete(*, attendance: Attendance) -> None:
    attendance.delete()


# --- recovery groups ---------------------------------------------------------------------


@transaction.atomic
def group_save(
    *,
    rollout: Rollout,
    group: RecoveryGroup | None = None,
    church: Organization | Unchanged = UNCHANGED,
    label: str | Unchanged = UNCHANGED,
    launch_event: Event | Unchanged | None = UNCHANGED,
    launched_on: date | Unchanged = UNCHANGED,
    meeting_day: int | Unchanged = UNCHANGED,
    trained_leaders: int | Unchanged = UNCHANGED,
    status: str | Unchanged = UNCHANGED,
) -> RecoveryGroup:
    """Launch a recovery group at a church of the rollout's region, or change one (fields
    left ``UNCHANGED`` keep their stored value; a new group needs its church, launch date
    and meeting day)."""
    group = group or RecoveryGroup(rollout=rollout)
    concurrency.apply_changes(
        group,
        {"church": church, "label": label, "launch_event": launch_event,
         "launched_on": launched_on, "meeting_day": meeting_day,
         "trained_leaders": trained_leaders, "status": status},
    )  # fmt: skip
    errors = {}
    if group.church.region_id != rollout.region_id or group.church.kind != OrganizationKind.CHURCH:
        errors["church"] = _("Choose a church of this region.")
    if group.launch_event and group.launch_event.rollout_id != rollout.pk:
        errors["launch_event"] = _("Choose an event of this rollout.")
    if errors:
        raise ValidationError(errors)
    group.full_clean()
    group.save()
    return group


@transaction.atomic
def group_report_record(
    *, group: RecoveryGroup, month: date, meetings_held: int, total_attendance: int
) -> GroupReport:
    """Record a month's meetings and total attendance (replacing an earlier figure)."""
    month = month.replace(day=1)
    if month > timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("This month has not started yet.")})
    if month < group.launched_on.replace(day=1):
        raise ValidationError({"month": _("The group had not been launched yet.")})
    report, _created = GroupReport.objects.get_or_create(
        group=group,
        month=month,
        defaults={"meetings_held": meetings_held, "total_attendance": total_attendance},
    )
    report.meetings_held, report.total_attendance = meetings_held, total_attendance
    report.full_clean()
    report.save()
    return report


# --- calendar links ----------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def calendar_feed_create(*, user: User) -> str:
    """Make a new secret calendar link; the token is returned once and only its hash kept."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, token_hash=token_hash(token))
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User, pk: int) -> None:
    """Revoke one of the user's calendar links; calendar apps using it stop updating."""
    CalendarFeed.objects.filter(user=user, pk=pk).delete()


def calendar_feed_use(*, token: str) -> User | None:
    """The active user behind a calendar token, noting when it was last used."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=token_hash(token), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed.user
