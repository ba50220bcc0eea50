import os

from celery import Celery
from celery.schedules import crontab

# Production unless told otherwise, like every server process (config/__init__.py, which runs first).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# A sub-package's tasks module is not found by its app's name: named here, so that the worker knows its tasks.
app.autodiscover_tasks(["questionnaire.titulaires"])


def _nightly(task: str, *, hour: int, minute: int) -> dict:
    return {"task": task, "schedule": crontab(hour=hour, minute=minute)}


# Celery beat (`celery -A config beat`):
# - statistics: the current year of every organisation is recomputed each night, so the dashboard opens on fresh
#   figures; stale computation jobs are failed with a reason every 5 minutes (analytics.tasks);
# - public registers: the published Egapro indexes file is fetched and loaded at 03:15 (registers.tasks), when
#   EGAPRO_FILE_URL is set (production); unset, the task does nothing;
# - retention of personal data (README.md): abandoned annex drafts (4:00), the kept copies of uploaded cahiers des
#   charges (4:10) and the insertion participants past their retention period (4:20) are purged each night, like
#   the purge_* commands, so that a deployment with beat needs no cron entry for them.
app.conf.beat_schedule = {
    "registers-fetch-egapro-file": _nightly("registers.fetch_egapro_file", hour=3, minute=15),
    "analytics-recompute-current-year": _nightly("analytics.recompute_current_year", hour=2, minute=30),
    "analytics-sweep-indicator-jobs": {"task": "analytics.sweep_indicator_jobs", "schedule": 5 * 60},
    "questionnaire-purge-annex-drafts": _nightly("questionnaire.purge_annex_drafts", hour=4, minute=0),
    "procurement-purge-stamped-uploads": _nightly("procurement.purge_stamped_uploads", hour=4, minute=10),
    "clauses-purge-clause-participants": _nightly("clauses.purge_clause_participants", hour=4, minute=20),
}
