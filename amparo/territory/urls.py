from __future__ import annotations

from django.urls import path

from amparo.territory import views

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
    path("regions/<str:code>/contacts/new/", views.contact_edit, name="contact-create"),
    path("regions/<str:code>/contacts/<int:pk>/edit/", views.contact_edit, name="contact-edit"),
]
