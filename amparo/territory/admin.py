from __future__ import annotations

from django.contrib import admin

from amparo.territory.models import Contact, Organization, Region, Sector


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "capital", "country", "verified"]
    search_fields = ["code", "name"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name_es", "name_en", "counterpart", "verified"]
    search_fields = ["code", "name_es", "name_en"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "sector", "is_demo"]
    list_filter = ["kind", "region", "is_demo"]
    search_fields = ["name"]
    list_select_related = ["region", "sector"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organization", "is_demo"]
    search_fields = ["name", "organization__name"]
    list_select_related = ["organization"]
