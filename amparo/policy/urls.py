from __future__ import annotations

from django.urls import path

from amparo.policy import views

urlpatterns = [
    path("policy/", views.policy_list, name="policy-list"),
    path("policy/alignment/", views.alignment_program, name="policy-alignment"),
    path(
        "regions/<str:code>/policy-alignment/",
        views.alignment_region,
        name="policy-alignment-region",
    ),
    path("policy/<str:instrument_code>/edit/", views.instrument_edit, name="policy-edit"),
    path("policy/<str:instrument_code>/entries/new/", views.item_edit, name="policy-item-create"),
    path(
        "policy/<str:instrument_code>/entries/<int:pk>/edit/",
        views.item_edit,
        name="policy-item-edit",
    ),
]
