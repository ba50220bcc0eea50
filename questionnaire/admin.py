from django.contrib import admin

from procurement.admin import FrenchTitlesMixin
from questionnaire.models import AnnexResponse, Attachment, Draft, QuestionnaireSettings


@admin.register(AnnexResponse)
class AnnexResponseAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    indefinite_article = "une"
    list_display = ["receipt_number", "structure_name", "siret", "organisation", "market", "source", "submitted_at"]
    list_filter = ["organisation", "source"]
    search_fields = ["receipt_number", "structure_name", "siret"]
    raw_id_fields = ["market", "lot", "draft", "entered_by"]


@admin.register(Draft)
class DraftAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    list_display = ["pk", "organisation", "market", "current_step", "updated_at", "submitted_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["market", "entered_by"]
    exclude = ["data"]  # answers being typed stay out of the admin


@admin.register(QuestionnaireSettings)
class QuestionnaireSettingsAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    # "Ajout d'un réglages" would not read: the page names the settings of one organisation.
    def _titles(self) -> dict[str, str]:
        return {
            "add": "Ajout des réglages de l'annexe égalité d'une organisation",
            "change": "Modification des réglages de l'annexe égalité",
            "view": "Réglages de l'annexe égalité",
            "changelist": "Choisissez les réglages de l'annexe égalité à modifier",
        }


@admin.register(Attachment)
class AttachmentAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    indefinite_article = "une"
