from __future__ import annotations

from django.urls import path

from amparo.fieldservers import views

A = "regions/<str:code>/assessments/<int:pk>/field-servers/"

urlpatterns = [
    path("field-servers/", views.connection_list, name="fieldserver-list"),
    path("field-servers/new/", views.connection_edit, name="fieldserver-create"),
    path("field-servers/<int:pk>/", views.connection_edit, name="fieldserver-edit"),
    path("field-servers/<int:pk>/test/", views.connection_test, name="fieldserver-test"),
    path("field-servers/<int:pk>/enable/", views.connection_enable, name="fieldserver-enable"),
    path(A, views.round_forms, name="round-fieldservers"),
    path(A + "publish/", views.publish, name="fieldserver-publish"),
    path(A + "<int:form_pk>/sync/", views.sync_now, name="fieldserver-sync"),
    path(A + "pulls/<uuid:job_id>/", views.pulled_job, name="fieldserver-job"),
    path(A + "pulls/<uuid:job_id>/confirm/", views.pulled_confirm, name="fieldserver-job-confirm"),
    path(A + "pulls/<uuid:job_id>/discard/", views.pulled_discard, name="fieldserver-job-discard"),
]
