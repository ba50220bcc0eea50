from django.urls import path

from procurement.views.sections import UpcomingSectionView

app_name = "analytics"

urlpatterns = [
    # Placeholder until the section lands.
    path(
        "",
        UpcomingSectionView.as_view(
            section_title="Statistiques",
            section_description="Les indicateurs annuels de l'annexe égalité et des clauses d'insertion "
            "apparaîtront ici.",
        ),
        name="dashboard",
    ),
]
