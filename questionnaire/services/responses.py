"""What every way of recording a response shares (online wizard, staff entry, import), and taking one out of the
statistics (withdrawal) or off the platform (removal by staff)."""

import datetime
import logging
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from procurement.models import User
from procurement.storage import delete_files_on_commit
from procurement.timezones import PARIS
from questionnaire.enums import RemovalReason
from questionnaire.models import AnnexResponse, Attachment, Draft
from questionnaire.services.latest import refresh_latest
from questionnaire.structures import structure_key

logger = logging.getLogger(__name__)

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


@transaction.atomic
def remove_response(*, response: AnnexResponse, reason: RemovalReason, removed_by: User) -> bool:
    """Deletes a response for good, as staff do for a duplicate, an entry error or a company's request to erase its
    answer: with its attachments and the draft it was sent from (which holds the same answers as typed). The
    structure's previous answer, if any, becomes its latest again (questionnaire.services.latest); figures already
    computed are not touched, the next computation reads what is left. False when the response was already gone (a
    second click, another member at the same time).

    The files leave the storage once the deletion commits. The log keeps a trace without personal data: the response's
    id, year and origin, who removed it and why."""
    reason = RemovalReason(reason)
    response = AnnexResponse.objects.select_for_update().filter(pk=response.pk).first()
    if response is None:
        return False
    # Read before the deletion, which clears the instance's primary key.
    trace = (response.pk, response.organisation_id, response.submitted_year, response.source, removed_by.pk)
    organisation_id, structure_key, draft_id = response.organisation_id, response.structure_key, response.draft_id
    answer_files = Q(response=response) if draft_id is None else Q(response=response) | Q(draft_id=draft_id)
    attachments = list(Attachment.objects.filter(answer_files))
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    response.delete()
    if draft_id is not None:
        Draft.objects.filter(pk=draft_id).delete()
    refresh_latest(organisation_id=organisation_id, structure_keys=[structure_key])
    delete_files_on_commit(
        Attachment._meta.get_field("file").storage,
        [attachment.file.name for attachment in attachments if attachment.file],
    )
    transaction.on_commit(
        lambda: logger.info(
            "Réponse %s (organisation %s, année %s, origine %s) supprimée par l'utilisateur %s : %s",
            *trace,
            reason.value,
        )
    )
    return True
