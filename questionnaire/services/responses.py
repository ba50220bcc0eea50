"""What every way of recording a response shares (online wizard, staff entry, import)."""

import datetime
import secrets

from django.db import transaction
from django.utils import timezone

from procurement.timezones import PARIS
from questionnaire.models import AnnexResponse
from questionnaire.services.latest import refresh_latest
from questionnaire.structures import structure_key

# No 0/O or 1/I/L: the number is read aloud on the phone and typed back.
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_receipt_number(*, submitted_at: datetime.datetime) -> str:
    """`AE-2026-7K3F9QXH`: the year, then 8 random characters (40 bits; the database keeps them unique)."""
    suffix = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(8))
    return f"AE-{submitted_at.astimezone(PARIS).year}-{suffix}"


def paris_date(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(PARIS).date()


def fill_identity(response: AnnexResponse, *, submitted_at: datetime.datetime | None = None) -> AnnexResponse:
    """Sets the derived fields (SIREN, structure key, Paris date, receipt number) before the response is saved."""
    response.submitted_at = submitted_at or response.submitted_at or timezone.now()
    response.submitted_on = paris_date(response.submitted_at)
    response.submitted_year = response.submitted_on.year
    response.siren = response.siret[:9] if response.siret else ""
    response.structure_key = structure_key(siret=response.siret, name=response.structure_name)
    if not response.receipt_number:
        response.receipt_number = new_receipt_number(submitted_at=response.submitted_at)
    return response


def withdraw_response(*, response: AnnexResponse, withdrawn_at: datetime.datetime | None = None) -> AnnexResponse:
    """Takes a response out of the statistics (it stays visible to staff): the structure's previous answer of
    that year, if any, counts again."""
    with transaction.atomic():
        response.withdrawn_at = withdrawn_at or timezone.now()
        response.is_latest = False
        response.save(update_fields=["withdrawn_at", "is_latest"])
        refresh_latest(organisation_id=response.organisation_id, structure_keys=[response.structure_key])
    return response
