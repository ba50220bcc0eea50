from django.urls import path

from procurement.views.sections import UpcomingSectionView

app_name = "clauses"

urlpatterns = [
    # Placeholder until the section lands.
    path(
        "",
        UpcomingSectionView.as_view(
            section_title="Clauses d'insertion",
            section_description="Le suivi des participant·es et des heures d'insertion par marché apparaîtra ici.",
        ),
        name="index",
    ),
]
