from __future__ import annotations

from django.urls import path

from amparo.partnerships import views

R = "regions/<str:code>/"

urlpatterns = [
    path("partnerships/", views.pipeline, name="pipeline"),
    path(R + "partnerships/", views.region_partnerships, name="region-partnerships"),
    path(R + "partnerships/<int:pk>/move/", views.partnership_move, name="partnership-move"),
    path(
        R + "partnerships/<int:pk>/agreement/", views.agreement_download, name="agreement-download"
    ),
    path(R + "meetings/", views.meetings, name="meetings"),
    path(
        R + "meetings/<int:pk>/next-steps/new/",
        views.next_step_create,
        name="next-step-create",
    ),
    path(R + "next-steps/<int:pk>/", views.next_step_edit, name="next-step-edit"),
    path(R + "events/<int:pk>/materials/", views.event_materials, name="event-materials"),
    path("my/tasks/", views.my_tasks, name="my-tasks"),
    path("next-steps/<int:pk>/done/", views.step_done, name="step-done"),
    path("materials/", views.materials, name="materials"),
    path("materials/<int:pk>/edit/", views.material_edit, name="material-edit"),
    path("materials/<int:pk>/versions/", views.material_version_add, name="material-version-add"),
    path("materials/versions/<int:pk>/", views.material_download, name="material-download"),
]
