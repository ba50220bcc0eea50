"""Celery tasks of procurement: thin, they call its services."""

from celery import shared_task

from procurement.specifications.services import forget_uploads


@shared_task(name="procurement.purge_stamped_uploads", ignore_result=True, soft_time_limit=540, time_limit=600)
def purge_stamped_uploads() -> int:
    """Nightly (config/celery.py), like the `purge_stamped_uploads` command: the kept copies of uploaded cahiers
    des charges go once STAMPED_UPLOAD_RETENTION_DAYS have passed; the stamped documents stay."""
    return forget_uploads()
