"""Celery tasks of the annex: thin, they take ids."""

from celery import shared_task

from questionnaire.models import AnnexResponse
from questionnaire.services import receipts


@shared_task(name="questionnaire.send_receipt_email", ignore_result=True, acks_late=True, time_limit=120)
def send_receipt_email(response_id: int) -> None:
    """Renders the PDF receipt and emails it, away from the candidate's request (a PDF takes a second to make)."""
    response = AnnexResponse.objects.filter(pk=response_id).select_related("market", "lot").first()
    if response is not None:
        receipts.send_receipt(response=response)
