from django.urls import path

from procurement.awards.urls import market_patterns as award_patterns
from procurement.specifications.urls import market_patterns as specification_patterns
from procurement.views import markets

app_name = "procurement"

urlpatterns = [
    path("", markets.MarketListView.as_view(), name="market_list"),
    path("nouveau/", markets.MarketCreateView.as_view(), name="market_create"),
    path("importer/", markets.MarketImportView.as_view(), name="market_import"),
    path("importer/modele.<slug:file_format>", markets.MarketImportModelView.as_view(), name="market_import_model"),
    path("<int:pk>/", markets.MarketDetailView.as_view(), name="market_detail"),
    path("<int:pk>/modifier/", markets.MarketUpdateView.as_view(), name="market_update"),
    path("<int:pk>/rouvrir-le-lien/", markets.MarketReopenAnnexView.as_view(), name="market_reopen_annex"),
    path("<int:pk>/qr-code.svg", markets.MarketQRCodeView.as_view(), name="market_qrcode"),
    path("<int:pk>/lots/<int:lot_pk>/supprimer/", markets.LotDeleteView.as_view(), name="lot_delete"),
    *specification_patterns,
    *award_patterns,
]
