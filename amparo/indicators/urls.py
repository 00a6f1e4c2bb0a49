from __future__ import annotations

from django.urls import path

from amparo.indicators.views import catalog, dashboards, disaggregations, entry, imports

R = "regions/<str:code>/"

urlpatterns = [
    path("dashboard/", dashboards.program_dashboard, name="program-dashboard"),
    path("indicators/new/", catalog.indicator_edit, name="indicator-create"),
    path("indicators/<str:indicator_code>/edit/", catalog.indicator_edit, name="indicator-edit"),
    path("disaggregations/", disaggregations.dimension_list, name="disaggregation-list"),
    path("disaggregations/new/", disaggregations.dimension_edit, name="disaggregation-create"),
    path(
        "disaggregations/<str:dimension_code>/edit/",
        disaggregations.dimension_edit,
        name="disaggregation-edit",
    ),
    path(
        "disaggregations/<str:dimension_code>/values/new/",
        disaggregations.value_edit,
        name="disaggregation-value-create",
    ),
    path(
        "disaggregations/<str:dimension_code>/values/<int:pk>/edit/",
        disaggregations.value_edit,
        name="disaggregation-value-edit",
    ),
    path(R + "dashboard/", dashboards.region_dashboard, name="region-dashboard"),
    path(R + "indicators/", dashboards.region_indicators, name="region-indicators"),
    path(R + "indicators/entry/", entry.entry_grid, name="indicator-entry"),
    path(R + "indicators/import/", imports.import_observations, name="indicator-import"),
    path(R + "indicators/import/<uuid:job_id>/", imports.import_job, name="indicator-import-job"),
    path(
        R + "indicators/import/<uuid:job_id>/confirm/",
        imports.import_confirm,
        name="indicator-import-confirm",
    ),
    path(
        R + "indicators/import/<uuid:job_id>/discard/",
        imports.import_discard,
        name="indicator-import-discard",
    ),
    path(R + "indicators/<str:indicator_code>/targets/", entry.targets, name="indicator-targets"),
]
