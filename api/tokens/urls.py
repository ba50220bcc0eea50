"""The API tokens pages, beside the members (namespace `api_tokens`)."""

from django.urls import path

from api.tokens import views

app_name = "api_tokens"

urlpatterns = [
    path("", views.TokenListView.as_view(), name="list"),
    path("nouveau/", views.TokenCreateView.as_view(), name="create"),
    path("journal/", views.CallLogView.as_view(), name="calls"),
    path("<int:pk>/revoquer/", views.TokenRevokeView.as_view(), name="revoke"),
]
