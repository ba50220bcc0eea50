from clauses.services.hours_import import import_clause_hours
from procurement.management.utils import FileImportCommand


class Command(FileImportCommand):
    help = (
        "Importe des relevés mensuels d'heures d'insertion depuis un fichier CSV, XLSX ou ODS (tout ou rien). "
        "Réimporter le même (participant·e, marché, employeur, mois) remplace ses heures."
    )
    nothing_imported = "aucune heure importée"

    def import_file(self, **file):
        # A file chosen by the operator on the server: no upload size limit.
        return import_clause_hours(**file, max_bytes=None)
