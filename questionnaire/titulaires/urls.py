"""The titulaires pages (staff, namespace `titulaires`, under /annexe-egalite/titulaires/) and the public page
where a company refuses reminders by e-mail (`public_patterns`, included by questionnaire/urls.py)."""

from django.urls import path

from questionnaire.titulaires import views

app_name = "titulaires"

urlpatterns = [
    path("", views.TitulaireListView.as_view(), name="list"),
    path("export.<slug:file_format>", views.TitulaireExportView.as_view(), name="export"),
    path("entreprises/<str:siren>/", views.CompanyView.as_view(), name="company"),
    path("entreprises/<str:siren>/relancer/", views.ReminderCreateView.as_view(), name="remind"),
    path(
        "relances/<int:pk>/lettre.<slug:letter_format>",
        views.ReminderLetterView.as_view(),
        name="reminder_letter",
    ),
]

public_patterns = [
    path("refuser/<str:signature>/", views.ReminderOptOutView.as_view(), name="reminder_opt_out"),
]
