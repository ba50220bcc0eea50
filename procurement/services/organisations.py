from django.core.exceptions import ValidationError
from django.db import transaction

from procurement.models import Membership, Organisation, User
from procurement.validators import validate_siren


@transaction.atomic
def create_or_update_organisation(*, slug: str, name: str, siren: str | None = None) -> tuple[Organisation, bool]:
    """Creates a buyer, or updates its name (and SIREN when given) when it exists."""
    if siren:
        validate_siren(siren)
    # Validated before any write: a bad slug or name never reaches the database.
    organisation = Organisation.objects.filter(slug=slug).first()
    created = organisation is None
    if created:
        organisation = Organisation(slug=slug)
    organisation.name = name.strip()
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
