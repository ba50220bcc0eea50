from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from procurement.accounts.services import members as members_services
from procurement.enums import Article, MembershipEventKind, Role
from procurement.models import Organisation
from procurement.services.organisations import create_or_update_organisation
from procurement.validators import normalise_company_number


class Command(BaseCommand):
    help = (
        "Crée une organisation (acheteur), ou met à jour son nom si elle existe ; avec --admin-email, invite son "
        "administrateur·rice (le même courriel que la page « Organisations de la plateforme »)."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Identifiant court, en minuscules (ex. : valenciennes-metropole).")
        parser.add_argument("--name", required=True, help="Nom de l'organisation.")
        parser.add_argument("--siren", help="SIREN (9 chiffres, espaces et points admis).")
        parser.add_argument(
            "--article",
            choices=Article.values,
            help="Article du nom dans une phrase : la, le, l (pour « l' »), les ou none (sans article). "
            "Par défaut, deviné d'après le nom pour une nouvelle organisation (« Ville de … » : la).",
        )
        parser.add_argument(
            "--admin-email",
            help="Adresse de l'administrateur·rice à inviter : le lien part sur PLATFORM_BASE_URL.",
        )

    def handle(self, *args, slug, name, siren, article, admin_email=None, **options):
        if siren is not None:
            siren = normalise_company_number(siren)
        if slugify(slug) != slug:
            raise CommandError(f"« {slug} » n'est pas un identifiant valide : utilisez « {slugify(slug)} ».")
        if admin_email is not None:
            try:
                validate_email(admin_email.strip())
            except ValidationError as error:
                raise CommandError(f"« {admin_email} » n'est pas une adresse électronique valide.") from error
        try:
            with transaction.atomic():
                organisation, created = create_or_update_organisation(
                    slug=slug, name=name, siren=siren, article=article
                )
                invitation = None
                if admin_email is not None:
                    if created:
                        members_services.log_event(
                            organisation=organisation,
                            kind=MembershipEventKind.ORGANISATION_CREATED,
                            email=members_services.normalise_email(admin_email),
                            actor=None,
                            detail=organisation.name,
                        )
                    invitation = members_services.invite(
                        organisation=organisation, email=admin_email, role=Role.ADMIN, invited_by=None
                    )
        except ValidationError as error:
            raise CommandError(_describe(error)) from error
        except members_services.MembersError as error:
            raise CommandError(error.message) from error
        verb = "créée" if created else "mise à jour"
        self.stdout.write(
            self.style.SUCCESS(
                f"Organisation « {organisation.name} » ({organisation.slug}) {verb}. Dans une phrase : "
                f"« {organisation.name_subject} », « {organisation.name_of} » (--article pour corriger)."
            )
        )
        if invitation is not None:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Invitation d'administrateur·rice envoyée à {invitation.email} "
                    f"(lien valable {members_services.INVITATION_VALID_DAYS} jours)."
                )
            )


def _describe(error: ValidationError) -> str:
    """The French messages, each prefixed by the field it concerns when there is one."""
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for name, messages in error.message_dict.items():
        label = Organisation._meta.get_field(name).verbose_name if name != "__all__" else ""
        parts.extend(f"{label} : {message}" if label else message for message in messages)
    return " ".join(parts)
