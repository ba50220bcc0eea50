"""Celery tasks of the annex: thin, they take ids."""

from celery import shared_task

from questionnaire.models import AnnexResponse
from questionnaire.services import purge, receipts


# A soft limit under the hard one: with only time_limit, Celery refuses to publish the task (the global soft limit
# of 25 minutes exceeds it) and every receipt was rendered in the candidate's request instead.
@shared_task(
    name="questionnaire.send_receipt_email", ignore_result=True, acks_late=True, soft_time_limit=90, time_limit=120
)
def send_receipt_email(response_id: int) -> None:
    """Emails the contact address, away from the candidate's request (a PDF takes a second to make): the link that
    confirms the address, or, once confirmed, the PDF receipt."""
    response = AnnexResponse.objects.filter(pk=response_id).select_related("organisation", "market", "lot").first()
    if response is not None:
        receipts.send_receipt(response=response)


@shared_task(name="questionnaire.purge_annex_drafts", ignore_result=True, soft_time_limit=540, time_limit=600)
def purge_annex_drafts() -> int:
    """Nightly (config/celery.py), like the `purge_annex_drafts` command: abandoned drafts and their files go."""
    return purge.purge_abandoned_drafts()
