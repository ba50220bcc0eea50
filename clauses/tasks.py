"""Celery tasks of the insertion clauses: thin, they call clauses.services."""

from celery import shared_task

from clauses.services.purge import purge_participants
from procurement.models import Organisation


@shared_task(name="clauses.purge_clause_participants", ignore_result=True, soft_time_limit=540, time_limit=600)
def purge_clause_participants() -> int:
    """Nightly (config/celery.py), like `purge_clause_participants --all-organisations`: each organisation's
    participants whose retention period has run out are anonymised (their sex and hours stay for the figures)."""
    return sum(purge_participants(organisation=organisation) for organisation in Organisation.objects.order_by("pk"))
