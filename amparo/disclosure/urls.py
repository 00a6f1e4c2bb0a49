from __future__ import annotations

from django.urls import path

from amparo.disclosure import views

urlpatterns = [
    path("disclosure-audit/", views.audit_page, name="disclosure-audit"),
    path("disclosure-audit/<uuid:pk>/", views.audit_run, name="disclosure-audit-run"),
]
