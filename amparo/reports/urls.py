from __future__ import annotations

from django.urls import path

from amparo.reports import lists, views

urlpatterns = [
    path("reports/", views.program_reports, name="program-reports"),
    path("regions/<str:code>/reports/", views.region_reports, name="region-reports"),
    path("reports/<uuid:pk>/", views.report_status, name="report-status"),
    path("reports/<uuid:pk>/download/", views.report_download, name="report-download"),
    path("regions/<str:code>/rounds.csv", lists.rounds_csv, name="round-list-csv"),
    path("regions/<str:code>/partnerships.csv", lists.partnerships_csv, name="partnerships-csv"),
    path("regions/<str:code>/indicators.csv", lists.indicators_csv, name="indicators-csv"),
    path("my/measures.csv", lists.my_measures_csv, name="my-measures-csv"),
    path("my/tasks.csv", lists.my_tasks_csv, name="my-tasks-csv"),
]
