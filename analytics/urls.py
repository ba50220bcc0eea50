from django.urls import path

from analytics.open_data import views as open_data
from analytics.views import dashboard, exports

app_name = "analytics"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("calculer/", dashboard.ComputeView.as_view(), name="compute"),
    path("calculs/<int:pk>/etat/", dashboard.JobStatusView.as_view(), name="job_status"),
    path("calculs/<int:pk>/relancer/", dashboard.RetryJobView.as_view(), name="job_retry"),
    path("resultats/<int:pk>/figer/", dashboard.FreezeView.as_view(), name="freeze"),
    path("resultats/<int:pk>/telecharger/<str:export_format>/", exports.SnapshotExportView.as_view(), name="export"),
    path("reglages/", dashboard.SettingsView.as_view(), name="settings"),
    path("donnees-ouvertes/", open_data.ManageView.as_view(), name="open_data"),
    path("donnees-ouvertes/resultats/<int:pk>/publier/", open_data.PublishView.as_view(), name="open_data_publish"),
    path("donnees-ouvertes/annees/<int:pk>/retirer/", open_data.UnpublishView.as_view(), name="open_data_unpublish"),
]
