"""The API's addresses, under /api/v1/ (namespace `api`)."""

from django.urls import path

from api.views import clauses, documentation, markets, responses, statistics

app_name = "api"

urlpatterns = [
    path("schema/", documentation.SchemaView.as_view(), name="schema"),
    path("docs/", documentation.DocumentationView.as_view(), name="docs"),
    path("markets/", markets.MarketListView.as_view(), name="markets"),
    path("markets/import/", markets.MarketImportView.as_view(), name="market_import"),
    path("markets/<int:pk>/", markets.MarketDetailView.as_view(), name="market"),
    path("markets/<int:pk>/candidate-link/", markets.CandidateLinkView.as_view(), name="market_candidate_link"),
    path("markets/<int:pk>/qr-code/", markets.QRCodeView.as_view(), name="market_qrcode"),
    path("markets/<int:pk>/specification/", markets.SpecificationStampView.as_view(), name="market_specification"),
    path("responses/", responses.ResponseListView.as_view(), name="responses"),
    path("responses/<int:pk>/", responses.ResponseDetailView.as_view(), name="response"),
    path("statistics/indicators/", statistics.IndicatorsView.as_view(), name="indicators"),
    path("statistics/jobs/", statistics.JobCreateView.as_view(), name="jobs"),
    path("statistics/jobs/<int:pk>/", statistics.JobDetailView.as_view(), name="job"),
    path("statistics/snapshots/", statistics.SnapshotListView.as_view(), name="snapshots"),
    path("statistics/snapshots/<int:pk>/", statistics.SnapshotDetailView.as_view(), name="snapshot"),
    path("clauses/hours/", clauses.HoursView.as_view(), name="clause_hours"),
    path("clauses/report/", clauses.ClauseReportView.as_view(), name="clause_report"),
]
