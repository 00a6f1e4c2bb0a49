from __future__ import annotations

from django.urls import path

from amparo.mitigation.views import measures

M = "regions/<str:code>/measures/"

urlpatterns = [
    path("my/measures/", measures.my_measures, name="my-measures"),
    path(M, measures.measure_list, name="measure-list"),
    path(M + "library/", measures.library, name="measure-library"),
    path(
        M + "library/<int:control_pk>/", measures.measure_from_control, name="measure-from-control"
    ),
    path(M + "systemic/", measures.systemic, name="measure-systemic"),
    path(M + "new/", measures.measure_edit, name="measure-create"),
    path(M + "<int:pk>/", measures.measure_detail, name="measure-detail"),
    path(M + "<int:pk>/edit/", measures.measure_edit, name="measure-edit"),
    path(M + "<int:pk>/move/", measures.measure_move, name="measure-move"),
    path(M + "<int:pk>/evidence/", measures.evidence_add, name="evidence-add"),
    path(
        M + "<int:pk>/evidence/<int:evidence_pk>/",
        measures.evidence_download,
        name="evidence-download",
    ),
]
