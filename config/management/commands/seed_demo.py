from django.core.management.base import BaseCommand

from analytics import demo as analytics_demo
from clauses import demo as clauses_demo
from procurement import demo as procurement_demo
from procurement.models import Organisation
from questionnaire import demo as questionnaire_demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent) et affiche les comptes de démonstration."

    def handle(self, *args, **options):
        accounts = procurement_demo.seed()
        demo_buyer = Organisation.objects.get(slug=procurement_demo.DEMO_SLUG)
        clauses_demo.seed(organisation=demo_buyer)
        questionnaire_demo.seed(organisation=demo_buyer)
        # Last: the statistics read everything above.
        analytics_demo.seed(organisation=demo_buyer)
        self.stdout.write(self.style.SUCCESS("Données de démonstration chargées."))
        self.stdout.write("Comptes de démonstration (adresse électronique / mot de passe / rôle) :")
        for account in accounts:
            role = account.role.label if account.role else "administration de la plateforme"
            organisation = f" — {account.organisation_slug}" if account.organisation_slug else ""
            self.stdout.write(f"  {account.email:28} {account.password:24} {role}{organisation}")
