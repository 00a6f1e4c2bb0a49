from __future__ import annotations

from django.urls import path

from amparo.rollout.views import calendar, events, groups, planner, playbooks, rollouts, settings

R = "regions/<str:code>/"

urlpatterns = [
    path("program/", rollouts.program_overview, name="program"),
    path("planner/", planner.planner_page, name="planner"),
    path("planner/runs/<int:pk>/", planner.plan_run, name="plan-run"),
    path("planner/runs/<int:pk>/apply/", planner.plan_apply, name="plan-apply"),
    path("church-track/settings/", settings.settings_overview, name="track-settings"),
    path("church-track/teams/", settings.team_list, name="team-list"),
    path("church-track/teams/new/", settings.team_edit, name="team-create"),
    path("church-track/teams/<int:pk>/edit/", settings.team_edit, name="team-edit"),
    path("church-track/teams/<int:pk>/delete/", settings.team_delete, name="team-delete"),
    path("church-track/travel-times/", settings.travel_times, name="travel-times"),
    path(R + "blackouts/", settings.blackout_calendar_page, name="blackout-calendar"),
    path(R + "blackouts/new/", settings.blackout_edit, name="blackout-create"),
    path(R + "blackouts/<int:pk>/edit/", settings.blackout_edit, name="blackout-edit"),
    path(R + "blackouts/<int:pk>/delete/", settings.blackout_delete, name="blackout-delete"),
    path("planner/runs/<int:pk>/cancel/", planner.plan_cancel, name="plan-cancel"),
    path("playbooks/", playbooks.playbook_list, name="playbook-list"),
    path("playbooks/new/", playbooks.playbook_edit, name="playbook-create"),
    path("playbooks/<slug:code>/", playbooks.playbook_detail, name="playbook-detail"),
    path("playbooks/<slug:code>/edit/", playbooks.playbook_edit, name="playbook-edit"),
    path("playbooks/<slug:code>/stages/new/", playbooks.stage_edit, name="stage-create"),
    path("playbooks/<slug:code>/stages/<int:pk>/edit/", playbooks.stage_edit, name="stage-edit"),
    path(
        "playbooks/<slug:code>/stages/<int:pk>/delete/",
        playbooks.stage_delete,
        name="stage-delete",
    ),
    path(R + "rollouts/new/", rollouts.rollout_start, name="rollout-create"),
    path(R + "rollouts/<int:pk>/", rollouts.rollout_board, name="rollout-board"),
    path(R + "rollouts/<int:rollout_pk>/events/new/", events.event_edit, name="event-create"),
    path(R + "events/<int:pk>/", events.event_detail, name="event-detail"),
    path(R + "events/<int:pk>/edit/", events.event_edit, name="event-edit"),
    path(R + "events/<int:pk>/complete/", events.event_complete, name="event-complete"),
    path(R + "events/<int:pk>/cancel/", events.event_cancel, name="event-cancel"),
    path(R + "events/<int:pk>/attendance/", events.attendance_save, name="attendance-save"),
    path(
        R + "events/<int:pk>/attendance/<int:row_pk>/delete/",
        events.attendance_delete,
        name="attendance-delete",
    ),
    path(R + "rollouts/<int:rollout_pk>/groups/new/", groups.group_edit, name="group-create"),
    path(R + "groups/<int:pk>/", groups.group_detail, name="group-detail"),
    path(R + "groups/<int:pk>/edit/", groups.group_edit, name="group-edit"),
    path(R + "groups/<int:pk>/reports/", groups.group_report_save, name="group-report-save"),
    path("calendar/", calendar.calendar_settings, name="calendar-settings"),
    path("calendar/new/", calendar.calendar_create, name="calendar-create"),
    path("calendar/<int:pk>/revoke/", calendar.calendar_revoke, name="calendar-revoke"),
    path("calendar/<str:token>/events.ics", calendar.calendar_feed, name="calendar-feed"),
    path(
        "calendar/<str:token>/<str:code>.ics",
        calendar.calendar_feed,
        name="calendar-region-feed",
    ),
]
