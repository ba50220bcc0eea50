"""Faults of the statistics jobs, with a real Celery worker on a real Redis.

- The worker is killed (SIGKILL) in the middle of a job: the job does not stay "running" for ever. With
  acks_late its message is not acknowledged, and the sweeper fails the job once its heartbeat is older than
  ANALYTICS_JOB_HEARTBEAT_TIMEOUT_MINUTES, with a reason; the user can then retry it.
- Redis stopped: test_jobs.py publishes to a closed port and sees the job failed within seconds, with a reason,
  and retried once the broker is back.
"""

import datetime
import signal
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from analytics import services
from analytics.enums import JobStatus
from analytics.models import IndicatorJob
from tests.analytics.conftest import END, JUNE, START
from tests.procurement.factories import member
from tests.questionnaire.factories import AnnexResponseFactory


def _wait_for(job: IndicatorJob, status: str, *, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    current = IndicatorJob.objects.filter(pk=job.pk).values_list("status", flat=True)
    while current.get() != status and time.monotonic() < deadline:
        time.sleep(0.02)
    return current.get()


@pytest.mark.postgres_only
def test_a_worker_killed_mid_job_leaves_a_failed_job_that_can_be_retried(worker, organisation, responses_held):
    if connection.vendor != "postgresql":
        pytest.skip("Le job est tenu en cours par un verrou de table PostgreSQL.")
    buyer = member(organisation=organisation)
    AnnexResponseFactory(organisation=organisation, submitted_at=JUNE)
    responses_held.hold()  # the computation will wait on the responses table: the job stays "running"
    with transaction.atomic():
        job = services.request_computation(organisation=organisation, start=START, end=END, requested_by=buyer)
    assert _wait_for(job, JobStatus.RUNNING) == JobStatus.RUNNING

    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=20)
    responses_held.release()

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING  # nobody is left to say otherwise...
    # ... until the sweeper (every 5 minutes, Celery beat) sees its heartbeat is too old.
    assert services.sweep_stale_jobs(now=timezone.now()) == 0
    later = timezone.now() + datetime.timedelta(minutes=16)
    assert services.sweep_stale_jobs(now=later) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error

    retried = services.retry_job(job=job, requested_by=buyer)
    assert retried.status == JobStatus.QUEUED
