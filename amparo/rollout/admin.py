from __future__ import annotations

from django.contrib import admin
from django.db import transaction

from amparo import concurrency
from amparo.rollout.models import (
    Blackout,
    Event,
    PlanRun,
    Playbook,
    RecoveryGroup,
    Rollout,
    Stage,
    Team,
    TravelTime,
)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "home_region", "is_demo"]
    list_select_related = ["home_region"]
    filter_horizontal = ["stages"]


@admin.register(Blackout)
class BlackoutAdmin(admin.ModelAdmin):
    list_display = ["region", "first_day", "last_day", "kind", "every_year", "reason"]
    list_filter = ["region", "kind", "every_year"]


@admin.register(TravelTime)
class TravelTimeAdmin(admin.ModelAdmin):
    list_display = ["origin", "destination", "days"]
    list_select_related = ["origin", "destination"]


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    list_display = ["code", "name_es", "name_en"]


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["playbook", "order", "code", "kind", "typical_days", "min_gap_days"]
    list_select_related = ["playbook"]


@admin.register(Rollout)
class RolloutAdmin(admin.ModelAdmin):
    list_display = ["region", "playbook", "started_on", "is_demo"]
    list_select_related = ["region", "playbook"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["rollout", "stage", "status", "starts_on", "ends_on", "team"]
    list_filter = ["status", "rollout__region"]
    list_select_related = ["rollout__region", "rollout__playbook", "stage", "team"]
    readonly_fields = ["version"]

    @transaction.atomic
    def save_model(self, request, obj, form, change) -> None:
        # The admin form has no version check of its own; it still moves the version on so
        # that edit forms opened on the site before this change are noticed as stale.
        if change:
            obj.version = concurrency.claim_current(Event.objects.all(), obj.pk).version
        super().save_model(request, obj, form, change)


@admin.register(RecoveryGroup)
class RecoveryGroupAdmin(admin.ModelAdmin):
    list_display = ["church", "label", "status", "launched_on"]
    list_select_related = ["church"]


@admin.register(PlanRun)
class PlanRunAdmin(admin.ModelAdmin):
    list_display = ["pk", "label", "state", "created_at", "applied_at"]
    list_filter = ["state"]
    readonly_fields = ["input", "result"]
