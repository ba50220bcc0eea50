"""Celery tasks of the public registers (config/celery.py schedules them)."""

import logging

from celery import shared_task

from registers.services import fetch_and_import_egapro

logger = logging.getLogger(__name__)


@shared_task(name="registers.fetch_egapro_file")
def fetch_egapro_file() -> str:
    """Each night: fetches EGAPRO_FILE_URL and loads it in place of the previous load; nothing when it is unset."""
    result = fetch_and_import_egapro()
    if result is None:
        return "EGAPRO_FILE_URL n'est pas défini : aucun chargement."
    logger.info("Index Egapro publiés : %s", result.summary)
    return result.summary
