"""The organisation's legal details, without a namespace (`reverse("legal_details")`), beside its members."""

from django.urls import path

from procurement.legal import views

urlpatterns = [
    path("organisation/informations-legales/", views.LegalDetailsView.as_view(), name="legal_details"),
]
