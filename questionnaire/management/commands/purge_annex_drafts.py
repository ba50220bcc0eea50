from procurement.management.utils import PurgeCommand
from questionnaire.services.purge import purge_abandoned_drafts


class Command(PurgeCommand):
    help = (
        "Supprime les brouillons d'annexe égalité non envoyés et inactifs depuis ANNEX_DRAFT_RETENTION_DAYS jours "
        "(90 par défaut), avec leurs pièces jointes."
    )
    retention_setting = "ANNEX_DRAFT_RETENTION_DAYS"
    report = "{count} brouillon(s) inactif(s) depuis plus de {days} jours {verb}."
    deleted = "supprimés"

    def purge(self, *, dry_run: bool) -> int:
        return purge_abandoned_drafts(dry_run=dry_run)
