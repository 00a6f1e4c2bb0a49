from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from amparo.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["region", "sector"]


@admin.register(User)
class AmparoUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "region", "sector"]
    list_filter = ["role", "region"]
    autocomplete_fields = ["user", "region", "sector"]
