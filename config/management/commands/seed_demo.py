from django.core.management.base import BaseCommand

from analytics import demo as analytics_demo
from clauses import demo as clauses_demo
from procurement import demo as procurement_demo
from procurement.awards import demo as awards_demo
from procurement.models import Organisation
from questionnaire import demo as questionnaire_demo
from questionnaire.models import AnnexResponse


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les comptes de démonstration."

    def handle(self, *args, **options):
        accounts = procurement_demo.seed()
        demo_buyer = Organisation.objects.get(slug=procurement_demo.DEMO_SLUG)
        clauses_demo.seed(organisation=demo_buyer)
        questionnaire_demo.seed(organisation=demo_buyer)
        # The published contract data: its titulaires are partly the companies that answered the annex above.
        respondent_sirens = (
            AnnexResponse.objects.filter(organisation=demo_buyer).exclude(siren="").values_list("siren", flat=True)
        )
        awards_demo.seed(organisation=demo_buyer, respondent_sirens=sorted(set(respondent_sirens)))
        # Last: the statistics read everything above.
        analytics_demo.seed(organisation=demo_buyer)
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        self.stdout.write("Comptes de démonstration (adresse électronique / mot de passe / rôle) :")
        for account in accounts:
            role = account.role.label if account.role else "administration de la plateforme"
            organisation = f" — {account.organisation_slug}" if account.organisation_slug else ""
            self.stdout.write(f"  {account.email:28} {account.password:24} {role}{organisation}")
