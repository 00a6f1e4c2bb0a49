from __future__ import annotations

from django.urls import path

from amparo.dhis2 import views

urlpatterns = [
    path("dhis2/mapping/", views.mapping, name="dhis2-mapping"),
    path("dhis2/mapping/<int:pk>/delete/", views.mapping_delete, name="dhis2-mapping-delete"),
    path("regions/<str:code>/indicators/dhis2/", views.export, name="dhis2-export"),
    path(
        "regions/<str:code>/indicators/import/dhis2/",
        views.import_values,
        name="dhis2-import",
    ),
]
