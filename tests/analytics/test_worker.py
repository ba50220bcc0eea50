"""A real Celery worker on a real Redis: a job goes queued → running → done, as a user sees it.

Runs when REDIS_URL is set (`.ci/run` starts Redis and exports it). Without REDIS_URL it is skipped, unless
REQUIRE_REAL_SERVICES=1 (or REQUIRE_BROWSER=1, which CI sets): then it fails, so CI cannot lose it silently.

The worker is a subprocess (`celery -A config worker --pool=solo`) with the test settings and the test's database:
- PostgreSQL: the test database by name (`transactional_db`: what the test writes is committed, so visible);
- SQLite: the in-memory test database is copied to a file for the test's duration, and this process uses the
  file too, then gets its in-memory database back.
It listens on a queue of its own, so no other worker or run can take its messages.
"""

import time

from django.db import connection, transaction

from analytics import services
from analytics.enums import JobStatus
from analytics.models import IndicatorJob
from tests.analytics.conftest import END, JUNE, START
from tests.procurement.factories import member
from tests.questionnaire.factories import AnnexResponseFactory


def test_a_real_worker_takes_a_job_from_queued_to_running_to_done(worker, organisation, responses_held):
    buyer = member(organisation=organisation)
    for _ in range(3):
        AnnexResponseFactory(organisation=organisation, submitted_at=JUNE)
    responses_held.hold()

    with transaction.atomic():
        job = services.request_computation(organisation=organisation, start=START, end=END, requested_by=buyer)
        status_of = IndicatorJob.objects.filter(pk=job.pk).values_list("status", flat=True)
        seen = [status_of.get()]
    # Committed: the job's message is now published to the worker's queue.
    deadline = time.monotonic() + 60
    while seen[-1] not in (JobStatus.DONE, JobStatus.FAILED) and time.monotonic() < deadline:
        status = status_of.get()
        if status != seen[-1]:
            seen.append(status)
        if status == JobStatus.RUNNING:
            responses_held.release()
        time.sleep(0.01)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, f"états vus : {seen}, raison : {job.error}"
    if connection.vendor == "postgresql":
        assert seen == [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE]
    else:
        # SQLite: "running" may pass between two reads; the job's times show it ran in the worker.
        assert seen in ([JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.DONE], [JobStatus.QUEUED, JobStatus.DONE])
    assert job.attempts == 1
    assert job.started_at < job.finished_at
    assert job.progress == 100
    assert job.celery_task_id
    assert job.snapshot.indicator_set().by_key()["respondents"].value == 3
