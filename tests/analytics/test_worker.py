"""A real Celery worker on a real Redis: a job goes queued → running → done (issue 5, "Done when").

Runs when REDIS_URL is set (`.ci/run` starts Redis and exports it). Without REDIS_URL it is skipped, unless
REQUIRE_REAL_SERVICES=1 (or REQUIRE_BROWSER=1, which CI sets): then it fails, so CI cannot lose it silently.

The worker is a subprocess (`celery -A config worker --pool=solo`) with the test settings and the test's database:
- PostgreSQL: the test database by name (`transactional_db`: what the test writes is committed, so visible);
- SQLite: the in-memory test database is copied to a file for the test's duration, and this process uses the
  file too, then gets its in-memory database back.
It listens on a queue of its own, so no other worker or run can take its messages.
"""

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from analytics import services, tasks
from analytics.enums import JobStatus
from analytics.models import IndicatorJob
from config.celery import app
from tests.analytics.conftest import END, JUNE, START
from tests.factories import member
from tests.questionnaire.factories import AnnexResponseFactory

REDIS_URL = os.environ.get("REDIS_URL", "")
REQUIRED = os.environ.get("REQUIRE_REAL_SERVICES") == "1" or os.environ.get("REQUIRE_BROWSER") == "1"


@pytest.fixture
def redis_url():
    if not REDIS_URL:
        if REQUIRED:
            pytest.fail("REDIS_URL n'est pas défini : le test du vrai worker Celery ne peut pas tourner.")
        pytest.skip("REDIS_URL n'est pas défini (Redis absent) : pas de vrai worker Celery.")
    return REDIS_URL


@pytest.fixture
def shared_database_url(transactional_db, tmp_path):
    """A DATABASE_URL for the worker that reaches the very database this test uses."""
    if connection.vendor == "postgresql":
        params = connection.settings_dict
        yield (
            f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or '127.0.0.1'}:"
            f"{params['PORT'] or 5432}/{params['NAME']}"
        )
        return
    if connection.vendor != "sqlite":
        pytest.skip(f"Base {connection.vendor} non prise en charge par ce test.")
    path = tmp_path / "worker.sqlite3"
    connection.ensure_connection()
    memory_connection, memory_name = connection.connection, connection.settings_dict["NAME"]
    file_connection = sqlite3.connect(path)
    memory_connection.backup(file_connection)
    file_connection.close()
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield f"sqlite:///{path}"
    finally:
        connection.close()
        connection.settings_dict["NAME"] = memory_name
        connection.connection = memory_connection


@pytest.fixture
def own_queue():
    """The statistics task goes to a queue only this test's worker reads."""
    name = f"test-analytics-{uuid.uuid4().hex[:12]}"
    task = tasks.compute_indicator_job
    saved = task.queue if "queue" in vars(task) else None
    task.queue, task._exec_options = name, None
    yield name
    task.queue, task._exec_options = saved, None


@pytest.fixture
def worker(redis_url, shared_database_url, own_queue, celery_broker, tmp_path):
    celery_broker(redis_url)
    log_path = tmp_path / "worker.log"
    hostname = f"{own_queue}@localhost"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CELERY_REAL_WORKER": "1",
        "DATABASE_URL": shared_database_url,
        "REDIS_URL": redis_url,
    }
    command = [
        str(Path(sys.executable).with_name("celery")),
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--without-mingle",
        "--without-gossip",
        "--loglevel=WARNING",
        "-Q",
        own_queue,
        "-n",
        hostname,
    ]
    log = log_path.open("wb")
    process = subprocess.Popen(  # noqa: S603 (fixed arguments)
        command, cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(destination=[hostname], timeout=0.5):
            if process.poll() is not None:
                pytest.fail("Le worker Celery s'est arrêté au démarrage :\n" + log_path.read_text())
            if time.monotonic() > deadline:
                pytest.fail("Le worker Celery ne répond pas à « inspect ping » après 60 secondes.")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture
def responses_held(shared_database_url):
    """On PostgreSQL, `hold()` locks the responses table from another connection until `release()`: a running
    computation waits on it, so the test sees "running" for sure. On SQLite, both do nothing (the states are
    polled every 10 ms)."""

    class Holder:
        connection = None

        def hold(self):
            if shared_database_url.startswith("postgres"):
                import psycopg

                self.connection = psycopg.connect(shared_database_url.replace("postgres://", "postgresql://", 1))
                self.connection.execute("LOCK TABLE questionnaire_annexresponse IN ACCESS EXCLUSIVE MODE")

        def release(self):
            if self.connection is not None:
                self.connection.commit()
                self.connection.close()
                self.connection = None

    holder = Holder()
    yield holder
    holder.release()


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
