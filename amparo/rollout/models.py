"""The church track: a playbook of ordered stages, its rollout in each region, the events
that deliver each stage, aggregate attendance and the recovery groups launched.

Only counts are stored about people: no attendee or group-member names exist here.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from amparo.rollout.blackout_calendar import fits_in_a_year
from amparo.rollout.planner import PlanResult, result_from_json
from amparo.rollout.planner.whatif import WhatIf
from amparo.territory.models import (
    BilingualDescription,
    BilingualName,
    Organization,
    Region,
)
from amparo.versioned import version_field, version_positive


class StageKind(models.TextChoices):
    PARTNERSHIP_MEETING = "partnership_meeting", _("Partnership meetings")
    PASTORS_CONFERENCE = "pastors_conference", _("Pastors' conference")
    LEADER_TRAINING = "leader_training", _("Recovery-group leader training")
    CITYWIDE_LAUNCH = "citywide_launch", _("City-wide meeting and group launch")
    OTHER = "other", _("Other")


class Playbook(BilingualName, BilingualDescription):
    """The replicable sequence of stages the program reproduces region after region."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("playbook")
        verbose_name_plural = _("playbooks")

    def __str__(self) -> str:
        return self.name


class Stage(BilingualName, BilingualDescription):
    """One step of a playbook. Prerequisites always come earlier in the order, which rules
    out cycles; ``min_gap_days`` is the wait after the prerequisites end."""

    playbook = models.ForeignKey(
        Playbook, on_delete=models.CASCADE, related_name="stages", verbose_name=_("playbook")
    )
    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=30, choices=StageKind.choices)
    typical_days = models.PositiveSmallIntegerField(_("typical duration (days)"), default=1)
    prerequisites = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="dependents",
        verbose_name=_("must be done before"),
    )
    min_gap_days = models.PositiveSmallIntegerField(
        _("minimum gap after prerequisites (days)"), default=0
    )
    max_pastors = models.PositiveIntegerField(_("at most pastors"), null=True, blank=True)
    max_churches = models.PositiveIntegerField(_("at most churches"), null=True, blank=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["playbook", "order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [
            models.UniqueConstraint(fields=["playbook", "code"], name="stage_code_unique"),
            models.UniqueConstraint(fields=["playbook", "order"], name="stage_order_unique"),
            models.CheckConstraint(
                condition=Q(typical_days__gte=1), name="stage_lasts_at_least_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class Team(models.Model):
    """A delivery team that travels to run events, one at a time."""

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    stages = models.ManyToManyField(
        Stage, blank=True, related_name="teams", verbose_name=_("stages it can deliver")
    )
    home_region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="home_teams",
        verbose_name=_("home region"),
    )
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class Rollout(models.Model):
    """A playbook being reproduced in one region."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="rollouts", verbose_name=_("region")
    )
    playbook = models.ForeignKey(
        Playbook, on_delete=models.PROTECT, related_name="rollouts", verbose_name=_("playbook")
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["region__name"]
        verbose_name = _("rollout")
        verbose_name_plural = _("rollouts")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "playbook"],
                name="one_rollout_per_region_and_playbook",
                violation_error_message=_("This region already follows that playbook."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.playbook} · {self.region}"


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Event(models.Model):
    """A meeting, conference or training that delivers a stage. ``ends_on`` is the last
    day of the event (inclusive)."""

    rollout = models.ForeignKey(
        Rollout, on_delete=models.CASCADE, related_name="events", verbose_name=_("rollout")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="events", verbose_name=_("stage")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    city = models.CharField(_("city"), max_length=100)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("team"),
    )
    notes = models.TextField(_("notes"), blank=True)
    override_reason = models.TextField(
        _("reason for overriding the stage order"),
        blank=True,
        help_text=_("Recorded when a program admin allows an event before its prerequisites."),
    )
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("overridden by"),
    )
    version = version_field()
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            version_positive("event"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="event_ends_after_it_starts",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stage.name} · {self.city} · {self.starts_on:%Y-%m-%d}"


class Attendance(models.Model):
    """How many came to an event from one church or fraternity: counts, never names."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("event")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    pastors = models.PositiveIntegerField(_("pastors"), default=0)
    leaders = models.PositiveIntegerField(_("leaders"), default=0)
    others = models.PositiveIntegerField(_("other attendees"), default=0)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["organization__name"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"],
                name="attendance_once_per_organization",
                violation_error_message=_("This organization's attendance is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.event}"

    @property
    def total(self) -> int:
        return self.pastors + self.leaders + self.others


class GroupStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


class RecoveryGroup(models.Model):
    """A recovery group a church launched. Its members are never recorded."""

    rollout = models.ForeignKey(
        Rollout, on_delete=models.CASCADE, related_name="groups", verbose_name=_("rollout")
    )
    church = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("church")
    )
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        help_text=_("To tell apart several groups of one church, e.g. 'men' or 'Saturday'."),
    )
    launch_event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("launched at"),
    )
    launched_on = models.DateField(_("launch date"))
    meeting_day = models.PositiveSmallIntegerField(_("meeting day"), choices=Weekday.choices)
    trained_leaders = models.PositiveSmallIntegerField(_("trained leaders"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=GroupStatus.choices, default=GroupStatus.ACTIVE
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["church__name", "label"]
        verbose_name = _("recovery group")
        verbose_name_plural = _("recovery groups")

    def __str__(self) -> str:
        return f"{self.church.name} {self.label}".strip()


class GroupReport(models.Model):
    """A month of a group's life in aggregate numbers."""

    group = models.ForeignKey(
        RecoveryGroup, on_delete=models.CASCADE, related_name="reports", verbose_name=_("group")
    )
    month = models.DateField(_("month"), help_text=_("Stored as the first day of the month."))
    meetings_held = models.PositiveSmallIntegerField(_("meetings held"))
    total_attendance = models.PositiveIntegerField(
        _("total attendance"), help_text=_("Sum over the month's meetings; no names.")
    )

    history = HistoricalRecords(inherit=False)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("group report")
        verbose_name_plural = _("group reports")
        constraints = [
            models.UniqueConstraint(fields=["group", "month"], name="group_report_once_a_month"),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.month:%Y-%m}"


class CalendarFeed(models.Model):
    """A secret calendar link. Only a hash of the token is kept; revoking deletes access."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar link")
        verbose_name_plural = _("calendar links")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"


class BlackoutKind(models.TextChoices):
    RAINY_SEASON = "rainy_season", _("Rainy season")
    ELECTIONS = "elections", _("Elections")
    SCHOOL_HOLIDAYS = "school_holidays", _("School holidays")
    OTHER = "other", _("Other")


class Blackout(models.Model):
    """Days on which no event may be held in a region (rainy season, holidays), inclusive.
    With ``every_year`` the same days repeat each year from the first one on (the planner
    input expands them: ``blackout_calendar.expand_yearly``)."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="blackouts", verbose_name=_("region")
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    kind = models.CharField(
        _("reason"), max_length=20, choices=BlackoutKind.choices, default=BlackoutKind.OTHER
    )
    reason = models.CharField(_("details"), max_length=200, blank=True)
    every_year = models.BooleanField(
        _("every year"),
        default=False,
        help_text=_("The same days repeat each year from the first one on."),
    )

    class Meta:
        ordering = ["region__name", "first_day"]
        verbose_name = _("blackout")
        verbose_name_plural = _("blackouts")
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=F("first_day")),
                name="blackout_ends_after_it_starts",
                violation_error_message=_("The last day cannot be before the first day."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.first_day:%Y-%m-%d} / {self.last_day:%Y-%m-%d}"

    def clean(self) -> None:
        if (
            self.every_year
            and self.first_day
            and self.last_day
            and not fits_in_a_year(self.first_day, self.last_day)
        ):
            raise ValidationError(
                {"last_day": _("A period that repeats every year must be shorter than a year.")}
            )


class TravelTime(models.Model):
    """Days a team needs to move between two regions (either direction unless both given)."""

    origin = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("from")
    )
    destination = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("to")
    )
    days = models.PositiveSmallIntegerField(_("days"))

    class Meta:
        verbose_name = _("travel time")
        verbose_name_plural = _("travel times")
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination"], name="travel_time_once"),
            models.CheckConstraint(
                condition=~Q(origin=F("destination")), name="travel_between_two_regions"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin.code} → {self.destination.code}: {self.days}"


class PlanRunState(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Planning")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


class PlanRun(models.Model):
    """One press of "plan": the planner's input and answer, kept to compare what-ifs.

    The planner runs in a background task (``amparo.rollout.tasks``): the run is created
    queued, the worker moves it to running, writes the best finish and proven bound so far
    while it plans, and ends it done, failed or cancelled. Runs kept before there was a
    task are done."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    playbook = models.ForeignKey(Playbook, on_delete=models.CASCADE, related_name="plan_runs")
    label = models.CharField(_("label"), max_length=200, blank=True)
    input = models.JSONField(_("input"))
    result = models.JSONField(_("result"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=PlanRunState.choices, default=PlanRunState.DONE
    )
    best_finish = models.DateField(_("best finish so far"), null=True, blank=True)
    proven_bound = models.DateField(_("proven lower bound so far"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    failure = models.CharField(_("why it failed"), max_length=20, blank=True)
    delay_model = models.JSONField(_("delay model"), default=dict)
    p50_finish = models.DateField(_("P50 finish"), null=True, blank=True)
    p90_finish = models.DateField(_("P90 finish"), null=True, blank=True)
    applied_at = models.DateTimeField(_("turned into events"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return self.label or f"{self.created_at:%Y-%m-%d %H:%M}"

    FAILED_ERROR = "error"
    FAILED_STALE = "stale"

    @property
    def failure_text(self) -> str:
        """Why it failed, in the reader's language (``failure`` keeps a code)."""
        return {
            self.FAILED_ERROR: _("The planner stopped with an error."),
            self.FAILED_STALE: _("The worker planning it stopped answering."),
        }.get(self.failure, _("The plan could not be made."))

    @property
    def active(self) -> bool:
        """Still waiting or planning: its page keeps polling."""
        return self.state in (PlanRunState.QUEUED, PlanRunState.RUNNING)

    @property
    def has_result(self) -> bool:
        return bool(self.result)

    @cached_property
    def what_ifs(self) -> list[WhatIf]:
        """The changes that would finish it sooner, ranked (``planner.whatif``)."""
        return [WhatIf.from_json(raw) for raw in (self.result or {}).get("what_ifs", [])]

    @cached_property
    def plan_result(self) -> PlanResult:
        """The stored answer as the planner's typed result, read once per instance, with
        the start and stage order of the stored input."""
        return result_from_json(self.result, self.input)
