from django.urls import path

from procurement.awards import views

# Included in procurement.urls (namespace "procurement"), under /marches/.
market_patterns = [
    path("donnees-essentielles/importer/", views.DecpImportView.as_view(), name="decp_import"),
    path("donnees-essentielles/imports/<int:pk>/", views.DecpImportDetailView.as_view(), name="decp_import_detail"),
]
