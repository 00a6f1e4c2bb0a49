from __future__ import annotations

from django.urls import path

from amparo.questionnaires import views

A = "regions/<str:code>/assessments/<int:pk>/"

urlpatterns = [
    path(A + "questionnaires/", views.questionnaires_page, name="questionnaires"),
    path(A + "questionnaires/export/", views.export, name="questionnaire-export"),
    path(A + "imports/", views.upload, name="import-upload"),
    path(A + "imports/<uuid:job_id>/", views.import_job, name="import-job"),
    path(A + "imports/<uuid:job_id>/confirm/", views.import_confirm, name="import-confirm"),
    path(A + "imports/<uuid:job_id>/discard/", views.import_discard, name="import-discard"),
    path(
        A + "findings/<int:finding_pk>/accept-suggestion/",
        views.accept_suggestion,
        name="accept-suggestion",
    ),
]
