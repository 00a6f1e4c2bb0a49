from __future__ import annotations

from django.urls import path

from amparo.indicators.views import catalog, dashboards, entry

R = "regions/<str:code>/"

urlpatterns = [
    path("dashboard/", dashboards.program_dashboard, name="program-dashboard"),
    path("indicators/new/", catalog.indicator_edit, name="indicator-create"),
    path("indicators/<str:indicator_code>/edit/", catalog.indicator_edit, name="indicator-edit"),
    path(R + "dashboard/", dashboards.region_dashboard, name="region-dashboard"),
    path(R + "indicators/", dashboards.region_indicators, name="region-indicators"),
    path(R + "indicators/entry/", entry.entry_grid, name="indicator-entry"),
    path(R + "indicators/import/", entry.import_observations, name="indicator-import"),
    path(R + "indicators/<str:indicator_code>/targets/", entry.targets, name="indicator-targets"),
]
