from __future__ import annotations

from django.urls import path

from amparo.assessment.views import catalog, findings, rounds

A = "regions/<str:code>/assessments/<int:pk>/"

urlpatterns = [
    path("threats/", catalog.threat_list, name="threat-list"),
    path("threats/new/", catalog.threat_edit, name="threat-create"),
    path("threats/<int:pk>/edit/", catalog.threat_edit, name="threat-edit"),
    path("matrices/", catalog.matrix_list, name="matrix-list"),
    path("matrices/new/", catalog.matrix_create, name="matrix-create"),
    path("matrices/<slug:code>/", catalog.matrix_detail, name="matrix-detail"),
    path("matrices/<slug:code>/copy/", catalog.matrix_copy, name="matrix-copy"),
    path("matrices/<slug:code>/edit/", catalog.matrix_edit, name="matrix-edit"),
    path("regions/<str:code>/assessments/", rounds.round_list, name="round-list"),
    path("regions/<str:code>/assessments/new/", rounds.round_start, name="round-start"),
    path(A, rounds.round_detail, name="round-detail"),
    path(A + "move/", rounds.round_move, name="round-move"),
    path(A + "coverage/", rounds.round_coverage, name="round-coverage"),
    path(A + "heatmap/", rounds.round_heatmap, name="round-heatmap"),
    path(A + "findings/", findings.finding_list, name="finding-list"),
    path(A + "findings/new/", findings.finding_edit, name="finding-create"),
    path(A + "findings/<int:finding_pk>/", findings.finding_detail, name="finding-detail"),
    path(A + "findings/<int:finding_pk>/edit/", findings.finding_edit, name="finding-edit"),
    path(A + "findings/<int:finding_pk>/delete/", findings.finding_delete, name="finding-delete"),
]
