from django.urls import path

from questionnaire.staff import views
from questionnaire.views import StaffEntryStartView

app_name = "responses"

urlpatterns = [
    path("", views.ResponseListView.as_view(), name="list"),
    path("export.<slug:file_format>", views.ResponseExportView.as_view(), name="export"),
    path("importer/", views.AnnexImportView.as_view(), name="import"),
    path("importer/modele.<slug:file_format>", views.AnnexImportModelView.as_view(), name="import_model"),
    path("reglages/", views.QuestionnaireSettingsView.as_view(), name="settings"),
    path("<int:pk>/", views.ResponseDetailView.as_view(), name="detail"),
    path("<int:pk>/supprimer/", views.ResponseRemoveView.as_view(), name="remove"),
    path(
        "<int:pk>/pieces-jointes/<int:attachment_pk>/",
        views.AttachmentDownloadView.as_view(),
        name="attachment",
    ),
    # Paper entry through the candidates' wizard (questionnaire/views.py; its steps live in questionnaire/urls.py).
    path("saisie/", StaffEntryStartView.as_view(), name="staff_entry"),
]
