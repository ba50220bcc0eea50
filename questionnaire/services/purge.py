"""Data protection: drafts that nobody finished are not kept for ever."""

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
        attachments = list(Attachment.objects.filter(draft__in=draft_ids, response__isnull=True))
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
        Draft.objects.filter(pk__in=draft_ids).delete()
        # Files go only once the rows are gone for good.
        delete_files_on_commit(
            Attachment._meta.get_field("file").storage, [attachment.file.name for attachment in attachments]
        )
    return len(draft_ids)
