"""Forms of the church track. Choices are limited to the playbook, region or rollout at
hand, so a posted id from elsewhere is a field error, never a silent cross-region write."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amparo.concurrency import add_version_field
from amparo.rollout.models import (
    Blackout,
    Event,
    EventStatus,
    Playbook,
    RecoveryGroup,
    Rollout,
    Stage,
    StageKind,
    Team,
)
from amparo.territory.models import Organization, OrganizationKind, Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlaybookForm(forms.ModelForm):
    class Meta:
        model = Playbook
        fields = ["code", "name_es", "name_en", "description_es", "description_en"]
        widgets = {
            "description_es": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = [
            "order",
            "code",
            "kind",
            "name_es",
            "name_en",
            "description_es",
            "description_en",
            "typical_days",
            "prerequisites",
            "min_gap_days",
            "max_pastors",
            "max_churches",
        ]
        widgets = {
            "description_es": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
            "prerequisites": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: object, playbook: Playbook, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.playbook = playbook
        others = playbook.stages.all()
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["prerequisites"].queryset = others
        self.fields["prerequisites"].help_text = _("Only earlier stages can be prerequisites.")
        self.fields["max_pastors"].help_text = _("Leave empty for no limit.")
        self.fields["max_churches"].help_text = _("Leave empty for no limit.")

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        clash = Stage.objects.filter(playbook=self.instance.playbook, code=code)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("This playbook already has a stage with that code."))
        return code

    def clean_order(self) -> int:
        order = self.cleaned_data["order"]
        clash = Stage.objects.filter(playbook=self.instance.playbook, order=order)
        if clash.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another stage already has this position."))
        return order


class RolloutForm(forms.ModelForm):
    class Meta:
        model = Rollout
        fields = ["playbook", "started_on", "notes"]
        widgets = {"started_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, region: Region, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["playbook"].queryset = Playbook.objects.exclude(rollouts__region=region)


class EventForm(forms.ModelForm):
    override_reason = forms.CharField(
        label=_("Reason to hold it before its prerequisites"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Program admins only: fill in to override the stage order. It is recorded."),
    )

    class Meta:
        model = Event
        fields = ["stage", "status", "starts_on", "ends_on", "city", "venue", "team", "notes"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self, *args: object, rollout: Rollout, may_override: bool, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.instance.rollout = rollout
        self.fields["stage"].queryset = rollout.playbook.stages.all()
        self.fields["status"].choices = [
            (EventStatus.PLANNED, EventStatus.PLANNED.label),
            (EventStatus.DONE, EventStatus.DONE.label),
        ]
        self.fields["team"].queryset = Team.objects.all()
        if not may_override:
            del self.fields["override_reason"]
        add_version_field(self)

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date cannot be before the start date."))
        return cleaned


class AttendanceForm(forms.Form):
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label=_("Church or fraternity")
    )
    pastors = forms.IntegerField(label=_("Pastors"), min_value=0, max_value=100000, initial=0)
    leaders = forms.IntegerField(label=_("Leaders"), min_value=0, max_value=100000, initial=0)
    others = forms.IntegerField(
        label=_("Other attendees"), min_value=0, max_value=100000, initial=0
    )

    def __init__(self, *args: object, region: Region, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = Organization.objects.filter(
            region=region, kind__in=[OrganizationKind.CHURCH, OrganizationKind.FRATERNITY]
        )
        for name in ("pastors", "leaders", "others"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"


class GroupForm(forms.ModelForm):
    class Meta:
        model = RecoveryGroup
        fields = [
            "church",
            "label",
            "launch_event",
            "launched_on",
            "meeting_day",
            "trained_leaders",
            "status",
        ]
        widgets = {"launched_on": DATE}

    def __init__(self, *args: object, rollout: Rollout, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.rollout = rollout
        self.fields["church"].queryset = Organization.objects.filter(
            region=rollout.region, kind=OrganizationKind.CHURCH
        )
        self.fields["launch_event"].queryset = rollout.events.filter(
            stage__kind=StageKind.CITYWIDE_LAUNCH
        ).exclude(status=EventStatus.CANCELLED)


class GroupReportForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Year and month, e.g. 2027-03."),
    )
    meetings_held = forms.IntegerField(label=_("Meetings held"), min_value=0, max_value=31)
    total_attendance = forms.IntegerField(
        label=_("Total attendance"),
        min_value=0,
        max_value=100000,
        help_text=_("Sum of attendees over the month's meetings. No names."),
    )


class PlannerForm(forms.Form):
    """What the planner page asks. Blackouts are edited as text so that moving one for a
    what-if does not change the stored calendar."""

    playbook = forms.ModelChoiceField(queryset=Playbook.objects.all(), label=_("Playbook"))
    start = forms.DateField(label=_("Start date"), widget=DATE)
    regions = forms.ModelMultipleChoiceField(
        queryset=Region.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Regions to plan"),
    )
    teams = forms.ModelMultipleChoiceField(
        queryset=Team.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label=_("Teams"),
    )
    extra_teams = forms.IntegerField(
        label=_("Extra hypothetical teams"),
        min_value=0,
        max_value=5,
        initial=0,
        help_text=_("Teams you do not have yet, able to deliver every stage: “what if”."),
    )
    blackouts = forms.CharField(
        label=_("Blackouts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false"}),
        help_text=_("One per line: REGION FIRST-DAY LAST-DAY, e.g. PE-MDD 2027-02-01 2027-03-15."),
    )
    time_limit_s = forms.IntegerField(
        label=_("Time to search (seconds)"), min_value=1, max_value=30, initial=10
    )
    delay_min = forms.IntegerField(label=_("Delay per event: minimum days"), min_value=0,
                                   max_value=90, initial=0)  # fmt: skip
    delay_mode = forms.IntegerField(label=_("most likely days"), min_value=0, max_value=90,
                                    initial=1)  # fmt: skip
    delay_max = forms.IntegerField(label=_("maximum days"), min_value=0, max_value=90, initial=7)
    label = forms.CharField(
        label=_("What is different in this run?"), required=False, max_length=200
    )

    def __init__(self, *args: object, regions: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["regions"].queryset = regions

    def clean(self) -> dict[str, object]:
        from amparo.rollout.planning import parse_blackout_lines

        cleaned = super().clean()
        low, mode, high = (cleaned.get(k) for k in ("delay_min", "delay_mode", "delay_max"))
        if None not in (low, mode, high) and not low <= mode <= high:
            self.add_error("delay_mode", _("Use minimum ≤ most likely ≤ maximum."))
        chosen = {r.code for r in cleaned.get("regions") or []}
        # The lines are pre-filled for every region one may plan; those of regions left
        # out of this run are not used. A code of no such region is a mistake.
        known = {r.code for r in self.fields["regions"].queryset} | chosen
        try:
            found = parse_blackout_lines(cleaned.get("blackouts", ""), known)
            cleaned["blackout_map"] = {k: v for k, v in found.items() if k in chosen}
        except ValueError as error:
            self.add_error("blackouts", str(error))
        if not cleaned.get("teams") and not cleaned.get("extra_teams"):
            self.add_error("teams", _("Choose at least one team or add a hypothetical one."))
        return cleaned


class TeamForm(forms.ModelForm):
    """A delivery team; its code is set once, when it is created."""

    class Meta:
        model = Team
        fields = ["code", "name", "stages", "home_region", "notes"]
        widgets = {
            "stages": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stages"].queryset = Stage.objects.select_related("playbook").order_by(
            "playbook__code", "order"
        )
        self.fields["stages"].label_from_instance = lambda s: f"{s.playbook.name} · {s}"
        self.fields["code"].help_text = _(
            "Short and unique, e.g. team-north; kept plans name the team by it, so it cannot "
            "change later."
        )
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields["code"].required = False


class BlackoutForm(forms.ModelForm):
    class Meta:
        model = Blackout
        fields = ["first_day", "last_day", "kind", "reason", "every_year"]
        widgets = {"first_day": DATE, "last_day": DATE}

    def __init__(self, *args: object, region: Region, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instance.region = region
        self.fields["reason"].help_text = _("Optional, e.g. which elections or holiday.")

    def clean(self) -> dict[str, object]:
        cleaned = super().clean()
        first, last = cleaned.get("first_day"), cleaned.get("last_day")
        if first and last and last < first:
            self.add_error("last_day", _("The last day cannot be before the first day."))
        return cleaned


class MonthField(forms.DateField):
    input_formats = ["%Y-%m"]


class MonthForm(forms.Form):
    """The month a calendar shows, ``?month=YYYY-MM``."""

    month = MonthField(required=False)
