from django.db import transaction

from procurement.models import LegalDetails, Organisation


@transaction.atomic
def save_legal_details(
    *, organisation: Organisation, controller_name: str, controller_address: str, dpo_contact: str
) -> LegalDetails:
    details, _created = LegalDetails.objects.update_or_create(
        organisation=organisation,
        defaults={
            "controller_name": controller_name.strip(),
            "controller_address": controller_address.strip(),
            "dpo_contact": dpo_contact.strip(),
        },
    )
    return details
