"""The fiche's downloads, under the market's cahier des charges (`/marches/<pk>/cahier-des-charges/...`); included
by questionnaire/urls.py, so their names are in the `questionnaire` namespace."""

from django.urls import path

from questionnaire.fiche import views

urlpatterns = [
    path(
        "<int:pk>/cahier-des-charges/fiche-de-renseignements.docx",
        views.FicheDocxView.as_view(),
        name="market_fiche_docx",
    ),
    path(
        "<int:pk>/cahier-des-charges/fiche-de-renseignements.pdf",
        views.FichePdfView.as_view(),
        name="market_fiche_pdf",
    ),
]
