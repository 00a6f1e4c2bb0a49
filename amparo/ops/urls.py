from __future__ import annotations

from django.urls import path

from amparo.ops import views

urlpatterns = [
    path("health/", views.health_live, name="health"),
    path("health/ready/", views.health_ready, name="health-ready"),
    path("ops/", views.ops_status, name="ops-status"),
]
