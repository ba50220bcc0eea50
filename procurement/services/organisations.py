from django.core.exceptions import ValidationError
from django.db import transaction

from procurement.models import Membership, Organisation, User
from procurement.names import guess_article
from procurement.validators import validate_siren


@transaction.atomic
def create_or_update_organisation(
    *, slug: str, name: str, siren: str | None = None, article: str | None = None
) -> tuple[Organisation, bool]:
    """Creates a buyer, or updates its name (and SIREN, article when given) when it exists.

    A new buyer without an article gets the one its name obviously takes (« Ville de … » → « la »), else none.
    """
    if siren:
        validate_siren(siren)
    # Validated before any write: a bad slug or name never reaches the database.
    organisation = Organisation.objects.filter(slug=slug).first()
    created = organisation is None
    if created:
        organisation = Organisation(slug=slug)
    organisation.name = name.strip()
    if article is not None:
        organisation.article = article
    elif created:
        organisation.article = guess_article(organisation.name)
    if siren is not None:
        organisation.siren = siren
    organisation.full_clean()
    organisation.save()
    return organisation, created


@transaction.atomic
def set_membership(*, user: User, organisation: Organisation, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role, "is_active": True}
    )
    return membership


def can_switch_to(*, user: User, organisation_id: int) -> bool:
    return Membership.objects.active().filter(user=user, organisation_id=organisation_id).exists()


__all__ = ["ValidationError", "can_switch_to", "create_or_update_organisation", "set_membership"]
