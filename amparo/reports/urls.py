from __future__ import annotations

from django.urls import path

from amparo.reports import views

urlpatterns = [
    path("reports/", views.program_reports, name="program-reports"),
    path("regions/<str:code>/reports/", views.region_reports, name="region-reports"),
    path("reports/<uuid:pk>/", views.report_status, name="report-status"),
    path("reports/<uuid:pk>/download/", views.report_download, name="report-download"),
]
