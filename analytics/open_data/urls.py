"""Public open data addresses, under /donnees-ouvertes/ (the administrators' pages are in analytics/urls.py)."""

from django.urls import path

from analytics.open_data import views

app_name = "open_data"

urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("catalogue.json", views.PlatformCatalogueView.as_view(), name="catalogue"),
    path("schema.json", views.SchemaView.as_view(), name="schema"),
    path("<slug:slug>/", views.OrganisationView.as_view(), name="organisation"),
    path("<slug:slug>/catalogue.json", views.OrganisationCatalogueView.as_view(), name="organisation_catalogue"),
    path("<slug:slug>/<int:year>.csv", views.CsvView.as_view(), name="csv"),
]
