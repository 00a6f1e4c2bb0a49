from __future__ import annotations

from django.urls import path

from amparo.questionnaires import editor_views, views

A = "regions/<str:code>/assessments/<int:pk>/"

Q = "questionnaires/<str:code>/"

urlpatterns = [
    path("questionnaires/", editor_views.questionnaire_list, name="questionnaire-list"),
    path(Q, editor_views.questionnaire_detail, name="questionnaire-detail"),
    path(Q + "preview/", editor_views.questionnaire_preview, name="questionnaire-preview"),
    path(Q + "versions/<int:number>/", editor_views.version_detail, name="questionnaire-version"),
    path(Q + "questions/new/", editor_views.question_edit, name="question-create"),
    path(Q + "questions/<int:pk>/edit/", editor_views.question_edit, name="question-edit"),
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
