"""Every Celery task of the platform can be published: Celery checks its time limits when a task is sent
(`apply_async`, beat), not when it is declared, and eager tests do not send anything."""

import pytest
from kombu import Connection

from config.celery import app

pytestmark = pytest.mark.django_db


def our_tasks():
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_the_platform_declares_its_tasks():
    assert {
        "analytics.compute_indicator_job",
        "analytics.sweep_indicator_jobs",
        "analytics.recompute_current_year",
        "questionnaire.send_receipt_email",
        "questionnaire.send_reminder_email",
    } <= set(our_tasks())


@pytest.mark.parametrize("name", our_tasks())
def test_each_task_is_sent_to_the_broker(name, monkeypatch):
    task = app.tasks[name]
    # The real sending path, not the eager shortcut of the test settings, into an in-memory broker.
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    with Connection("memory://") as connection:
        queue = connection.SimpleQueue("celery")
        with app.producer_or_acquire(app.amqp.Producer(connection)) as producer:
            task.apply_async(args=[1] if name.endswith(("_job", "_email")) else [], producer=producer)
        message = queue.get(timeout=1)
        assert message.headers["task"] == name
        queue.close()
