from django.urls import path

from questionnaire import views

app_name = "questionnaire"

urlpatterns = [
    path("annexe/<str:token>/", views.MarketEntryView.as_view(), name="market_entry"),
]
