from django.urls import path

from analytics import views_clauses

app_name = "clauses_report"

urlpatterns = [
    path("", views_clauses.ClauseReportView.as_view(), name="report"),
    path("classeur.xlsx", views_clauses.ClauseReportWorkbookView.as_view(), name="workbook"),
]
