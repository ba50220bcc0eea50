from django.urls import path

from procurement.views.sections import UpcomingSectionView

app_name = "responses"

urlpatterns = [
    # Placeholder until the section lands.
    path(
        "",
        UpcomingSectionView.as_view(
            section_title="Annexe égalité",
            section_description="Les réponses des entreprises candidates au questionnaire égalité apparaîtront ici.",
        ),
        name="list",
    ),
]
