from django.core.management.base import BaseCommand, CommandError

from clauses.services.purge import expired_participants, purge_participants
from procurement.management.utils import add_organisation_argument, organisation_for_command
from procurement.models import Organisation

BOTH_CHOICES = (
    "Choisissez --organisation SLUG (une organisation) ou --all-organisations (toutes), pas les deux : "
    "aucun·e participant·e n'a été anonymisé·e."
)
SEVERAL_ORGANISATIONS = (
    "Plusieurs organisations existent : précisez --organisation SLUG, ou --all-organisations pour les traiter "
    "toutes (tâche planifiée) ; aucun·e participant·e n'a été anonymisé·e."
)


class Command(BaseCommand):
    help = (
        "Anonymise les participant·es dont la dernière mission s'est terminée il y a plus que la durée de "
        "conservation de l'organisation (24 mois par défaut). Le sexe et les heures sont gardés pour les "
        "statistiques ; nom, contact, année de naissance, critères et référence sont effacés ou remplacés."
    )

    def add_arguments(self, parser):
        add_organisation_argument(parser)
        parser.add_argument(
            "--all-organisations", action="store_true", help="Traite toutes les organisations (tâche planifiée)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien modifier.")

    def handle(self, *args, organisation, all_organisations, dry_run, **options):
        # Every organisation only when asked by name: a slug given as well may be a mistake about the other one.
        if all_organisations and organisation:
            raise CommandError(BOTH_CHOICES)
        if all_organisations:
            organisations = list(Organisation.objects.order_by("slug"))
            if not organisations:
                self.stdout.write("Aucune organisation : rien à anonymiser.")
        elif not organisation and Organisation.objects.count() > 1:
            raise CommandError(SEVERAL_ORGANISATIONS)
        else:
            organisations = [organisation_for_command(organisation)]
        for current in organisations:
            if dry_run:
                count = expired_participants(organisation=current).count()
                self.stdout.write(f"{current.slug} : {count} participant·e(s) à anonymiser (simulation).")
            else:
                count = purge_participants(organisation=current)
                self.stdout.write(self.style.SUCCESS(f"{current.slug} : {count} participant·e(s) anonymisé·e(s)."))
