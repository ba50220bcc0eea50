"""Cahiers des charges: the section's pages (namespace `specifications`), and the market pages that
`procurement/urls.py` adds under a market (namespace `procurement`)."""

from django.urls import include, path

from procurement.specifications import views

app_name = "specifications"

urlpatterns = [
    path("", views.SpecificationsIndexView.as_view(), name="index"),
    path("textes/<slug:kind>/modifier/", views.TextEditView.as_view(), name="text_edit"),
    path("textes/<slug:kind>/versions/", views.TextVersionsView.as_view(), name="text_versions"),
    path("textes/<slug:kind>/valider/", views.TextValidateView.as_view(), name="text_validate"),
]

_document_patterns = [
    path("<int:document_pk>/apercu/", views.StampedPreviewView.as_view(), name="stamped_preview"),
    path("<int:document_pk>/telecharger/", views.StampedDownloadView.as_view(), name="stamped_download"),
]

market_patterns = [
    path("<int:pk>/cahier-des-charges/", views.MarketSpecificationView.as_view(), name="market_specification"),
    path("<int:pk>/cahier-des-charges/documents/", include(_document_patterns)),
]
