"""Data protection: drafts that nobody finished are not kept for ever, and what is deleted leaves no file behind."""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from procurement.storage import delete_files_on_commit
from questionnaire.models import Attachment, Draft


def purge_abandoned_drafts(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Deletes drafts not submitted and untouched for ANNEX_DRAFT_RETENTION_DAYS, with their attached files."""
    limit = (now or timezone.now()) - datetime.timedelta(days=settings.ANNEX_DRAFT_RETENTION_DAYS)
    drafts = Draft.objects.abandoned_before(limit)
    if dry_run:
        return drafts.count()
    with transaction.atomic():
        draft_ids = list(drafts.values_list("pk", flat=True))
        delete_drafts(draft_ids=draft_ids)
    return len(draft_ids)


def delete_drafts(*, draft_ids: list[int]) -> None:
    """Deletes drafts with the files joined to them that no response holds (a submitted draft's files are its
    response's). Call it inside a transaction: the files go only once the rows are gone for good."""
    delete_attachments(Attachment.objects.filter(draft__in=draft_ids, response__isnull=True))
    Draft.objects.filter(pk__in=draft_ids).delete()


def delete_attachments(attachments) -> None:
    """Deletes attachments and, once the transaction commits, their files (a cascade or a queryset's delete leaves
    the files in the storage)."""
    attachments = list(attachments)
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    delete_files_on_commit(
        Attachment._meta.get_field("file").storage, [attachment.file.name for attachment in attachments]
    )
