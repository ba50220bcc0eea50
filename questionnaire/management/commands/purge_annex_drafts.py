from django.conf import settings
from django.core.management.base import BaseCommand

from questionnaire.services.purge import purge_abandoned_drafts


class Command(BaseCommand):
    help = (
        "Supprime les brouillons d'annexe égalité non envoyés et inactifs depuis ANNEX_DRAFT_RETENTION_DAYS jours "
        "(90 par défaut), avec leurs pièces jointes."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien supprimer.")

    def handle(self, *args, dry_run: bool = False, **options):
        count = purge_abandoned_drafts(dry_run=dry_run)
        days = settings.ANNEX_DRAFT_RETENTION_DAYS
        verb = "seraient supprimés" if dry_run else "supprimés"
        self.stdout.write(f"{count} brouillon(s) inactif(s) depuis plus de {days} jours {verb}.")
