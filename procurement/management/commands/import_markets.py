from procurement.management.utils import FileImportCommand
from procurement.services.market_import import import_markets


class Command(FileImportCommand):
    help = "Importe ou met à jour des marchés depuis un fichier CSV, XLSX ou ODS (tout ou rien)."
    nothing_imported = "aucun marché importé"

    def import_file(self, **file):
        return import_markets(**file)
