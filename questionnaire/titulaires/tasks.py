"""Celery tasks of the titulaires: thin, they take ids."""

from celery import shared_task

from questionnaire.models import Reminder
from questionnaire.titulaires import services


@shared_task(
    name="questionnaire.send_reminder_email", ignore_result=True, acks_late=True, soft_time_limit=90, time_limit=120
)
def send_reminder_email(reminder_id: int) -> None:
    """E-mails a recorded reminder with its letter (a PDF takes a second to make: away from the buyer's click)."""
    reminder = Reminder.objects.filter(pk=reminder_id).select_related("organisation", "market", "sent_by").first()
    if reminder is not None:
        services.deliver_reminder_email(reminder=reminder)
