"""The Django admin of platform administrators, in French: every page title names its object with its article
("Ajout d'une organisation"), and the second-factor devices read as "applications d'authentification"."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from procurement.models import LegalDetails, Lot, Market, Membership, Organisation, SecondFactorDevice, User


class FrenchTitlesMixin:
    """Django's French titles read "Ajout de organisation": each ModelAdmin gives its model's indefinite article
    ("un" or "une") and the titles become "Ajout d'une organisation", "Modification d'un marché"."""

    indefinite_article = "un"

    def _titles(self) -> dict[str, str]:
        name = self.model._meta.verbose_name
        return {
            "add": f"Ajout d'{self.indefinite_article} {name}",
            "change": f"Modification d'{self.indefinite_article} {name}",
            "view": f"Consultation d'{self.indefinite_article} {name}",
            "changelist": f"Choisissez {self.indefinite_article} {name} à modifier",
        }

    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, {"title": self._titles()["add"], **(extra_context or {})})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        key = "change" if self.has_change_permission(request) else "view"
        return super().change_view(
            request, object_id, form_url, {"title": self._titles()[key], **(extra_context or {})}
        )

    def changelist_view(self, request, extra_context=None):
        return super().changelist_view(request, {"title": self._titles()["changelist"], **(extra_context or {})})


class LegalDetailsInline(admin.StackedInline):
    model = LegalDetails
    can_delete = False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Organisation)
class OrganisationAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    indefinite_article = "une"
    inlines = [LegalDetailsInline]
    list_display = ["name", "article", "slug", "siren"]
    fields = ["name", "article", "slug", "siren", "logo"]
    search_fields = ["name", "slug", "siren"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(User)
class UserAdmin(FrenchTitlesMixin, BaseUserAdmin):
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
class MarketAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    list_display = ["reference", "title", "organisation", "market_type", "published_on"]
    list_filter = ["organisation", "market_type"]
    search_fields = ["reference", "title"]
    inlines = [LotInline]


# Second factor: django-otp registers its device admin in English; the same admin, on a French proxy.
SECOND_FACTOR_LABELS = {
    "user": "utilisateur·rice",
    "name": "nom de l'appareil",
    "confirmed": "confirmée",
    "key": "clé secrète",
    "step": "durée de validité d'un code (secondes)",
    "t0": "origine du temps (t0)",
    "digits": "nombre de chiffres",
    "tolerance": "tolérance (en pas)",
    "drift": "décalage (en pas)",
    "throttling_failure_timestamp": "dernier échec",
    "throttling_failure_count": "nombre d'échecs consécutifs",
}
SECOND_FACTOR_SECTIONS = {
    "Identity": "Identité",
    "Timestamps": "Dates",
    "Configuration": "Réglages",
    "State": "État",
    "Throttling": "Limitation des essais",
}

admin.site.unregister(TOTPDevice)


@admin.register(SecondFactorDevice)
class SecondFactorDeviceAdmin(FrenchTitlesMixin, TOTPDeviceAdmin):
    indefinite_article = "une"
    list_display = ["owner", "device_name", "created_on", "last_used_on", "is_confirmed"]

    @admin.display(description="utilisateur·rice", ordering="user")
    def owner(self, device):
        return device.user

    @admin.display(description="nom de l'appareil", ordering="name")
    def device_name(self, device):
        return device.name

    @admin.display(description="créée le", ordering="created_at")
    def created_on(self, device):
        return device.created_at

    @admin.display(description="dernière utilisation", ordering="last_used_at")
    def last_used_on(self, device):
        return device.last_used_at

    @admin.display(description="confirmée", boolean=True, ordering="confirmed")
    def is_confirmed(self, device):
        return device.confirmed

    def get_fieldsets(self, request, obj=None):
        return [
            (SECOND_FACTOR_SECTIONS.get(title, title), options)
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        for name, label in SECOND_FACTOR_LABELS.items():
            if name in form.base_fields:
                form.base_fields[name].label = label.capitalize()
        return form
