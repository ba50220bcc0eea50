from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from procurement.models import Lot, Market, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "article", "slug", "siren"]
    fields = ["name", "article", "slug", "siren", "logo"]
    search_fields = ["name", "slug", "siren"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_superuser"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["first_name", "last_name"]}),
        ("Droits", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class LotInline(admin.TabularInline):
    model = Lot
    extra = 0


@admin.register(Market)
class MarketAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "organisation", "market_type", "published_on"]
    list_filter = ["organisation", "market_type"]
    search_fields = ["reference", "title"]
    inlines = [LotInline]
