from django.urls import include, path

from questionnaire import views
from questionnaire.titulaires import urls as titulaires_urls

app_name = "questionnaire"

urlpatterns = [
    path("annexe/merci/", views.ThanksView.as_view(), name="thanks"),
    path("annexe/organisation/<slug:slug>/", views.OrganisationEntryView.as_view(), name="organisation_entry"),
    path("annexe/reprendre/<str:token>/", views.ResumeView.as_view(), name="resume"),
    path("annexe/reprendre/<str:token>/envoyer-le-lien/", views.SendResumeLinkView.as_view(), name="send_resume_link"),
    path("annexe/reprendre/<str:token>/accuse-de-reception/", views.ConfirmationView.as_view(), name="confirmation"),
    path("annexe/reprendre/<str:token>/accuse-de-reception.pdf", views.ReceiptPdfView.as_view(), name="receipt_pdf"),
    path("annexe/confirmer-adresse/<str:signature>/", views.ConfirmAddressView.as_view(), name="confirm_address"),
    path("annexe/reprendre/<str:token>/<str:step>/", views.PublicAnnexWizardView.as_view(), name="wizard_step"),
    # Staff paper entry: the start page is `responses:staff_entry` (questionnaire/staff/urls.py).
    path(
        "annexe-egalite/saisie/<str:token>/accuse-de-reception/",
        views.StaffConfirmationView.as_view(),
        name="staff_confirmation",
    ),
    path(
        "annexe-egalite/saisie/<str:token>/accuse-de-reception.pdf",
        views.StaffReceiptPdfView.as_view(),
        name="staff_receipt_pdf",
    ),
    path(
        "annexe-egalite/saisie/<str:token>/<str:step>/",
        views.StaffAnnexWizardView.as_view(),
        name="staff_wizard_step",
    ),
    # The link of a reminder e-mail: a titulaire refuses further reminders (questionnaire/titulaires/urls.py).
    path("annexe/relances/", include(titulaires_urls.public_patterns)),
    # The paper fiche of a market, beside its cahier des charges (staff only; questionnaire/fiche/urls.py).
    path("marches/", include("questionnaire.fiche.urls")),
    # Linked from the market page and its QR code: keep this name and path.
    path("annexe/<str:token>/", views.MarketEntryView.as_view(), name="market_entry"),
]
