from procurement.management.utils import FileImportCommand
from questionnaire.services.annex_import import import_annexes


class Command(FileImportCommand):
    help = "Importe des réponses à l'annexe égalité depuis un fichier CSV, XLSX ou ODS (tout ou rien)."
    nothing_imported = "aucune réponse importée"

    def import_file(self, **file):
        # A file chosen by the operator on the server: no upload size limit.
        return import_annexes(**file, max_bytes=None)
