from django.core.management.base import BaseCommand, CommandError

from procurement.awards.services import DecpRefused, import_decp, summary
from procurement.management.utils import add_organisation_argument, existing_file, organisation_for_command


class Command(BaseCommand):
    help = (
        "Importe les données essentielles (DECP) d'un fichier JSON ou XML : les contrats de l'organisation "
        "deviennent des marchés avec leurs titulaires ; chaque écart au format est signalé."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier DECP (JSON 2.0 ou 1.x, XML 2.0, consolidé ou non).")
        add_organisation_argument(parser)

    def handle(self, *args, file, organisation, **options):
        organisation = organisation_for_command(organisation)
        path = existing_file(file)
        try:
            with path.open("rb") as stream:
                run = import_decp(organisation=organisation, stream=stream, filename=path.name)
        except DecpRefused as refused:
            raise CommandError(f"Import refusé : {refused} (aucun contrat importé)") from None
        for line in run.report:
            self.stdout.write(line)
        if run.report_left_off:
            self.stdout.write(f"… et {run.report_left_off} autre(s) écart(s) non conservé(s) dans le rapport.")
        self.stdout.write(self.style.SUCCESS(summary(run)))
