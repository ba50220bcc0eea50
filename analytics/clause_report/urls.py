from django.urls import path

from analytics.clause_report import views

app_name = "clauses_report"

urlpatterns = [
    path("", views.ClauseReportView.as_view(), name="report"),
    path("classeur.xlsx", views.ClauseReportWorkbookView.as_view(), name="workbook"),
]
