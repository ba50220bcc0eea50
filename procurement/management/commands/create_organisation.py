from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from procurement.models import Organisation
from procurement.services.organisations import create_or_update_organisation
from procurement.validators import normalise_company_number


class Command(BaseCommand):
    help = "Crée une organisation (acheteur), ou met à jour son nom si elle existe."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Identifiant court, en minuscules (ex. : valenciennes-metropole).")
        parser.add_argument("--name", required=True, help="Nom de l'organisation.")
        parser.add_argument("--siren", help="SIREN (9 chiffres, espaces et points admis).")

    def handle(self, *args, slug, name, siren, **options):
        if siren is not None:
            siren = normalise_company_number(siren)
        if slugify(slug) != slug:
            raise CommandError(f"« {slug} » n'est pas un identifiant valide : utilisez « {slugify(slug)} ».")
        try:
            organisation, created = create_or_update_organisation(slug=slug, name=name, siren=siren)
        except ValidationError as error:
            raise CommandError(_describe(error)) from error
        verb = "créée" if created else "mise à jour"
        self.stdout.write(self.style.SUCCESS(f"Organisation « {organisation.name} » ({organisation.slug}) {verb}."))


def _describe(error: ValidationError) -> str:
    """The French messages, each prefixed by the field it concerns when there is one."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        label = Organisation._meta.get_field(name).verbose_name if name != "__all__" else ""
        parts.extend(f"{label} : {message}" if label else message for message in messages)
    return " ".join(parts)
