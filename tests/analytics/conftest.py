import datetime
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from analytics import services, tasks
from config.celery import app
from procurement.enums import Role
from tests.questionnaire.factories import AnnexResponseFactory

YEAR = 2025
START, END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
JUNE = datetime.datetime(YEAR, 6, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def org_admin_client(client_with_role):
    return client_with_role(Role.ADMIN)


@pytest.fixture
def facilitator_client(client_with_role):
    return client_with_role(Role.FACILITATOR)


@pytest.fixture
def responses(organisation):
    """Three structures of 27 staff each (2 + 3 cadres, 10 + 12 non cadres), none with 50 staff or more."""
    return [AnnexResponseFactory(organisation=organisation, submitted_at=JUNE) for _ in range(3)]


@pytest.fixture
def compute(django_capture_on_commit_callbacks, buyer):
    """Requests a computation as the page does and runs it (eager Celery) once the transaction commits."""

    def run(organisation, *, start=START, end=END, requested_by=None):
        with django_capture_on_commit_callbacks(execute=True):
            job = services.request_computation(
                organisation=organisation, start=start, end=end, requested_by=requested_by or buyer
            )
        job.refresh_from_db()
        return job

    return run


@pytest.fixture
def celery_broker():
    """`celery_broker(url)`: publish for real (not eagerly) to this broker until the test ends."""
    from config.celery import app

    saved = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}

    def use(url):
        app.conf.task_always_eager = False
        app.conf.broker_url = url

    yield use
    for key, value in saved.items():
        setattr(app.conf, key, value)


# A real Celery worker on a real Redis (test_worker.py, test_faults.py) -------------------------------------

REDIS_URL = os.environ.get("REDIS_URL", "")
REQUIRED = os.environ.get("REQUIRE_REAL_SERVICES") == "1" or os.environ.get("REQUIRE_BROWSER") == "1"
WORKER_START_SECONDS = 180


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
        # Three minutes: on a loaded 2-core machine (CI next to other work) the worker's start alone once took
        # more than one; a worker that never answers still fails the test, only later.
        deadline = time.monotonic() + WORKER_START_SECONDS
        while not app.control.ping(destination=[hostname], timeout=0.5):
            if process.poll() is not None:
                pytest.fail("Le worker Celery s'est arrêté au démarrage :\n" + log_path.read_text())
            if time.monotonic() > deadline:
                pytest.fail(f"Le worker Celery ne répond pas à « inspect ping » après {WORKER_START_SECONDS} s.")
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
