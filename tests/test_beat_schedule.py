"""What Celery beat runs by itself: the purges of personal data need no cron entry."""

import pytest

from config.celery import app

NIGHTLY_PURGES = (
    "questionnaire.purge_annex_drafts",
    "procurement.purge_stamped_uploads",
    "clauses.purge_clause_participants",
)


@pytest.fixture(autouse=True)
def worker_tasks():
    """The tasks a worker knows: it imports every app's tasks module at start, as this does (otherwise only the
    modules some earlier test imported would be registered)."""
    app.loader.import_default_modules()


@pytest.mark.parametrize("task", NIGHTLY_PURGES)
def test_each_purge_of_personal_data_runs_once_every_night(task):
    schedules = [entry["schedule"] for entry in app.conf.beat_schedule.values() if entry["task"] == task]

    assert task in app.tasks
    assert len(schedules) == 1
    nightly = schedules[0]
    assert len(nightly.hour) == 1 and len(nightly.minute) == 1
    assert nightly.day_of_week == set(range(7)) and nightly.day_of_month == set(range(1, 32))
