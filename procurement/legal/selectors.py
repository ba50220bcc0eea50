"""Who answers for the personal data candidates give, and who runs the platform: read by the candidate notice,
the receipt and the public legal pages (Mentions légales, Données personnelles, Déclaration d'accessibilité)."""

from dataclasses import dataclass

from django.conf import settings

from procurement.models import LegalDetails, Organisation

# What the pages print where neither the buyer nor the platform's settings give a value.
NOT_SET = "non renseigné"


@dataclass(frozen=True)
class Controller:
    """The buyer, controller of its candidates' answers (RGPD art. 13-1-a and b)."""

    name: str
    address: str
    dpo_contact: str


@dataclass(frozen=True)
class PlatformOperator:
    """The platform's operator (processor for the buyers) and host, from settings (config/env.py)."""

    name: str
    address: str
    publication_director: str
    contact_email: str
    host_name: str
    host_address: str
    # Whether the settings name the operator and the host: without them, the personal-data notice says what the
    # platform does without naming anyone (rather than « exploitée par non renseigné »).
    named: bool = True
    host_named: bool = True


def controller(*, organisation: Organisation) -> Controller:
    details = LegalDetails.objects.filter(organisation=organisation).first() or LegalDetails(organisation=organisation)
    return Controller(
        name=details.controller_name or organisation.name,
        address=details.controller_address or NOT_SET,
        dpo_contact=details.dpo_contact or NOT_SET,
    )


def platform_operator() -> PlatformOperator:
    return PlatformOperator(
        name=settings.PLATFORM_OPERATOR_NAME or NOT_SET,
        address=settings.PLATFORM_OPERATOR_ADDRESS or NOT_SET,
        publication_director=settings.PLATFORM_PUBLICATION_DIRECTOR or NOT_SET,
        contact_email=settings.PLATFORM_CONTACT_EMAIL,
        host_name=settings.PLATFORM_HOST_NAME or NOT_SET,
        host_address=settings.PLATFORM_HOST_ADDRESS or NOT_SET,
        named=bool(settings.PLATFORM_OPERATOR_NAME),
        host_named=bool(settings.PLATFORM_HOST_NAME),
    )
