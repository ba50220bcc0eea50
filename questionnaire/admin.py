from django.contrib import admin

from questionnaire.models import AnnexResponse, Attachment, Draft, QuestionnaireSettings


@admin.register(AnnexResponse)
class AnnexResponseAdmin(admin.ModelAdmin):
    list_display = ["receipt_number", "structure_name", "siret", "organisation", "market", "source", "submitted_at"]
    list_filter = ["organisation", "source"]
    search_fields = ["receipt_number", "structure_name", "siret"]
    raw_id_fields = ["market", "lot", "draft", "entered_by"]


@admin.register(Draft)
class DraftAdmin(admin.ModelAdmin):
    list_display = ["pk", "organisation", "market", "current_step", "updated_at", "submitted_at"]
    list_filter = ["organisation"]
    raw_id_fields = ["market", "entered_by"]
    exclude = ["data"]  # answers being typed stay out of the admin


admin.site.register(QuestionnaireSettings)
admin.site.register(Attachment)
