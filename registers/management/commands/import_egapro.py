"""`import_egapro FILE`: loads the published Egapro indexes (XLSX « index-egalite-fh » or the older `;` CSV)."""

from django.core.management.base import BaseCommand, CommandError

from procurement.management.utils import existing_file
from procurement.tabular import ImportRejected
from registers.services import import_egapro


class Command(BaseCommand):
    help = (
        "Charge le fichier des index de l'égalité professionnelle publiés (Egapro, « index-egalite-fh » : XLSX ou "
        "ancien CSV à « ; »), toutes années, à la place du chargement précédent."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Chemin du fichier XLSX ou CSV publié.")

    def handle(self, *args, file: str, **options):
        path = existing_file(file)
        try:
            result = import_egapro(content=path.read_bytes(), filename=path.name, source=path.name)
        except ImportRejected as rejected:
            raise CommandError("Rien n'a été chargé :\n" + "\n".join(rejected.errors)) from None
        self.stdout.write(self.style.SUCCESS(result.summary))
