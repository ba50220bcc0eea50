from django.core.management.base import CommandError, CommandParser

from procurement.models import Organisation


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
