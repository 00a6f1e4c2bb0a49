from __future__ import annotations

from django.urls import path

from amparo.territory import import_views, views

IMPORT = "regions/<str:code>/organizations/import/"

urlpatterns = [
    path("", views.home, name="home"),
    path("regions/<str:code>/", views.region_detail, name="region-detail"),
    path(
        "regions/<str:code>/organizations/new/",
        views.organization_edit,
        name="organization-create",
    ),
    path(
        "regions/<str:code>/organizations/<int:pk>/edit/",
        views.organization_edit,
        name="organization-edit",
    ),
    path(IMPORT, import_views.import_organizations, name="organization-import"),
    path(IMPORT + "template/", import_views.import_template, name="organization-import-template"),
    path(IMPORT + "<uuid:job_id>/", import_views.import_job, name="organization-import-job"),
    path(
        IMPORT + "<uuid:job_id>/confirm/",
        import_views.import_confirm,
        name="organization-import-confirm",
    ),
    path(
        IMPORT + "<uuid:job_id>/discard/",
        import_views.import_discard,
        name="organization-import-discard",
    ),
    path("regions/<str:code>/contacts/new/", views.contact_edit, name="contact-create"),
    path("regions/<str:code>/contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
]
