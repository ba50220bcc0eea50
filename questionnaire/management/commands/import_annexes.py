from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from procurement.management.utils import add_organisation_argument, organisation_for_command
from procurement.tabular import ImportRejected
from questionnaire.services.annex_import import import_annexes


class Command(BaseCommand):
    help = "Importe des réponses à l'annexe égalité depuis un fichier CSV ou XLSX (tout ou rien)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV ou XLSX.")
        add_organisation_argument(parser)

    def handle(self, *args, file, organisation, **options):
        organisation = organisation_for_command(organisation)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {file}")
        try:
            result = import_annexes(
                organisation=organisation, content=path.read_bytes(), filename=path.name, max_bytes=None
            )
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(error)
            raise CommandError(f"Import refusé : {len(rejected.errors)} erreur(s), aucune réponse importée.") from None
        self.stdout.write(self.style.SUCCESS(result.summary))
