from django.urls import path

from clauses import views

app_name = "clauses"

urlpatterns = [
    path("", views.ClauseIndexView.as_view(), name="index"),
    path("marches/<int:market_pk>/", views.MarketClauseView.as_view(), name="market"),
    path("marches/<int:market_pk>/clause/", views.ClauseEditView.as_view(), name="clause_create"),
    path("marches/<int:market_pk>/clause/<int:clause_pk>/", views.ClauseEditView.as_view(), name="clause_update"),
    path("participants/", views.ParticipantListView.as_view(), name="participant_list"),
    path("participants/nouveau/", views.ParticipantCreateView.as_view(), name="participant_create"),
    path("participants/<int:participant_pk>/", views.ParticipantDetailView.as_view(), name="participant_detail"),
    path(
        "participants/<int:participant_pk>/modifier/",
        views.ParticipantUpdateView.as_view(),
        name="participant_update",
    ),
    path(
        "participants/<int:participant_pk>/missions/nouvelle/",
        views.MissionEditView.as_view(),
        name="mission_create",
    ),
    path(
        "participants/<int:participant_pk>/missions/<int:mission_pk>/modifier/",
        views.MissionEditView.as_view(),
        name="mission_update",
    ),
    path(
        "participants/<int:participant_pk>/missions/<int:mission_pk>/heures/",
        views.MissionHoursView.as_view(),
        name="mission_hours",
    ),
    path("importer/", views.HoursImportView.as_view(), name="hours_import"),
    path("importer/modele.<slug:file_format>", views.HoursImportModelView.as_view(), name="hours_import_model"),
    path("journal-des-consultations/", views.AccessLogView.as_view(), name="access_log"),
    path("parametres/", views.ClauseSettingsView.as_view(), name="settings"),
]
