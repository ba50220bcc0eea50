from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from procurement.models import Organisation
from procurement.tabular import ImportRejected


def add_organisation_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--organisation",
        metavar="SLUG",
        help="Identifiant court de l'organisation (facultatif s'il n'y en a qu'une).",
    )


def organisation_for_command(slug: str | None) -> Organisation:
    """The organisation a command works on: `--organisation`, or the only one there is."""
    if slug:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            raise CommandError(f"Aucune organisation n'a l'identifiant « {slug} ».")
        return organisation
    organisations = list(Organisation.objects.all()[:2])
    if len(organisations) == 1:
        return organisations[0]
    if not organisations:
        raise CommandError("Aucune organisation n'existe : créez-en une avec create_organisation.")
    raise CommandError("Plusieurs organisations existent : précisez --organisation SLUG.")


def existing_file(name: str) -> Path:
    """The path of a file argument, refused at once if there is no such file."""
    path = Path(name)
    if not path.is_file():
        raise CommandError(f"Fichier introuvable : {name}")
    return path


class PurgeCommand(BaseCommand):
    """`purge_annex_drafts`, `purge_stamped_uploads`: deletes what is older than a retention setting, or with
    --dry-run only counts it, then says how many in one line.

    Subclasses give `purge(dry_run=)` (the service, returning the count), `retention_setting` (the name of the
    setting in days), `report` ("{count} … depuis plus de {days} jours {verb}.") and `deleted`, the participle
    agreeing with what is counted ("supprimés")."""

    retention_setting = ""
    report = ""
    deleted = ""

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Compte sans rien supprimer.")

    def purge(self, *, dry_run: bool) -> int:
        raise NotImplementedError

    def handle(self, *args, dry_run: bool = False, **options):
        count = self.purge(dry_run=dry_run)
        days = getattr(settings, self.retention_setting)
        verb = f"seraient {self.deleted}" if dry_run else self.deleted
        self.stdout.write(self.report.format(count=count, days=days, verb=verb))


class FileImportCommand(BaseCommand):
    """`import_markets`, `import_annexes`, `import_clause_hours`: FILE and --organisation, one all-or-nothing
    import, every reason of a refusal on stderr and a non-zero exit.

    Subclasses give `import_file(organisation=, content=, filename=)` (the service, returning a result with a
    `summary`) and `nothing_imported`, the end of the refusal message ("aucun marché importé")."""

    nothing_imported = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier CSV, XLSX ou ODS.")
        add_organisation_argument(parser)

    def import_file(self, *, organisation: Organisation, content: bytes, filename: str):
        raise NotImplementedError

    def handle(self, *args, file, organisation, **options):
        organisation = organisation_for_command(organisation)
        path = existing_file(file)
        try:
            result = self.import_file(organisation=organisation, content=path.read_bytes(), filename=path.name)
        except ImportRejected as rejected:
            for error in rejected.errors:
                self.stderr.write(error)
            raise CommandError(f"Import refusé : {rejected.total} erreur(s), {self.nothing_imported}.") from None
        self.stdout.write(self.style.SUCCESS(result.summary))
