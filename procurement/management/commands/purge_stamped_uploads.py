from django.conf import settings
from django.core.management.base import BaseCommand

from procurement.specifications.services import forget_uploads


class Command(BaseCommand):
    help = (
        "Supprime les copies des cahiers des charges déposés depuis plus de STAMPED_UPLOAD_RETENTION_DAYS jours "
        "(7 par défaut), gardées pour déplacer les textes depuis l'aperçu ; les documents complétés restent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien supprimer.")

    def handle(self, *args, dry_run: bool = False, **options):
        count = forget_uploads(dry_run=dry_run)
        days = settings.STAMPED_UPLOAD_RETENTION_DAYS
        verb = "seraient supprimées" if dry_run else "supprimées"
        self.stdout.write(f"{count} copie(s) de cahier des charges déposé depuis plus de {days} jours {verb}.")
