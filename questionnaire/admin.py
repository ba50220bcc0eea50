from django.contrib import admin
from django.db import transaction

from procurement.admin import FrenchTitlesMixin
from questionnaire.enums import RemovalReason
from questionnaire.models import AnnexResponse, Attachment, Draft, QuestionnaireSettings, Reminder, ReminderOptOut
from questionnaire.services.latest import refresh_latest
from questionnaire.services.purge import delete_attachments, delete_drafts
from questionnaire.services.responses import fill_identity, remove_response


@admin.register(AnnexResponse)
class AnnexResponseAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    indefinite_article = "une"
    list_display = ["receipt_number", "structure_name", "siret", "organisation", "market", "source", "submitted_at"]
    list_filter = ["organisation", "source"]
    search_fields = ["receipt_number", "structure_name", "siret"]
    raw_id_fields = ["market", "lot", "draft", "entered_by"]
    readonly_fields = ["submitted_on", "submitted_year", "is_latest", "structure_key"]

    # An answer changed or deleted here moves its structure's latest answer like any other write.
    def save_model(self, request, obj, form, change):
        former_key = AnnexResponse.objects.filter(pk=obj.pk).values_list("structure_key", flat=True).first()
        fill_identity(obj)
        if obj.withdrawn_at is not None:
            obj.is_latest = False
        super().save_model(request, obj, form, change)
        refresh_latest(organisation_id=obj.organisation_id, structure_keys={obj.structure_key, former_key} - {None})

    # Deleted as staff remove one: with its attachments' files (a cascade leaves them in the storage) and its draft.
    def delete_model(self, request, obj):
        remove_response(response=obj, reason=RemovalReason.OTHER, removed_by=request.user)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for response in queryset:
            remove_response(response=response, reason=RemovalReason.OTHER, removed_by=request.user)


@admin.register(Draft)
class DraftAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    list_display = ["pk", "organisation", "market", "current_step", "updated_at", "submitted_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["market", "entered_by"]
    exclude = ["data"]  # answers being typed stay out of the admin

    # With the files joined to it that no response holds: a cascade would leave them in the storage.
    @transaction.atomic
    def delete_model(self, request, obj):
        delete_drafts(draft_ids=[obj.pk])

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        delete_drafts(draft_ids=list(queryset.values_list("pk", flat=True)))


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

    # With its file: deleting the row alone would leave the file in the storage.
    @transaction.atomic
    def delete_model(self, request, obj):
        delete_attachments([obj])

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        delete_attachments(queryset)


@admin.register(Reminder)
class ReminderAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    indefinite_article = "une"
    list_display = ["company_name", "siren", "organisation", "market", "channel", "sent_at", "email_sent_at"]
    list_filter = ["organisation", "channel"]
    search_fields = ["company_name", "siren"]
    raw_id_fields = ["market", "sent_by"]
    # A reminder is a record of what was sent: read here, never rewritten.
    readonly_fields = ["sent_at", "email_sent_at", "email_error"]


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(FrenchTitlesMixin, admin.ModelAdmin):
    list_display = ["siren", "organisation", "email", "refused_at"]
    list_filter = ["organisation"]
    search_fields = ["siren", "email"]
