from procurement.management.utils import PurgeCommand
from procurement.specifications.services import forget_uploads


class Command(PurgeCommand):
    help = (
        "Supprime les copies des cahiers des charges déposés depuis plus de STAMPED_UPLOAD_RETENTION_DAYS jours "
        "(7 par défaut), gardées pour déplacer les textes depuis l'aperçu ; les documents complétés restent."
    )
    retention_setting = "STAMPED_UPLOAD_RETENTION_DAYS"
    report = "{count} copie(s) de cahier des charges déposé depuis plus de {days} jours {verb}."
    deleted = "supprimées"

    def purge(self, *, dry_run: bool) -> int:
        return forget_uploads(dry_run=dry_run)
