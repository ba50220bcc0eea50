"""Concurrent writes on SQLite (`make run`): no "database is locked" server error for candidates or agents."""

import logging

import pytest
from django.db import OperationalError
from django.urls import path

from tests.utils import run_python

# Two requests that each read, then write, in a transaction (an annex submission, an upload), at the same time,
# on a file database with the development settings.
CONCURRENT_SUBMISSIONS = """
import threading

import django

django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE submission (id INTEGER PRIMARY KEY, step INTEGER)")
    cursor.execute("PRAGMA journal_mode")
    print("journal_mode", cursor.fetchone()[0])
connection.close()
both_have_read = threading.Barrier(2, timeout=1)
errors = []


def submit(step):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM submission")
            try:
                both_have_read.wait()
            except threading.BrokenBarrierError:
                pass  # the other one waits for the write lock: it has not read yet
            cursor.execute("INSERT INTO submission (step) VALUES (%s)", [step])
    except Exception as error:
        errors.append(str(error))
    finally:
        connection.close()


threads = [threading.Thread(target=submit, args=(step,)) for step in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM submission")
    print("rows", cursor.fetchone()[0])
print("errors", errors)
"""


def test_two_concurrent_submissions_on_sqlite_are_both_saved(tmp_path):
    result = run_python(
        "-c",
        CONCURRENT_SUBMISSIONS,
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["journal_mode wal", "rows 2", "errors []"]


def locked(request):
    raise OperationalError("database is locked")


def broken(request):
    raise OperationalError("no such table: submission")


urlpatterns = [path("verrou/", locked), path("casse/", broken)]


@pytest.mark.urls(__name__)
def test_a_locked_database_answers_a_french_page_that_says_to_retry(client, caplog):
    with caplog.at_level(logging.WARNING, logger="config.middleware"):
        response = client.post("/verrou/")

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "votre dernière action n'a pas été enregistrée" in page
    assert "réessayez dans 10 secondes" in page
    assert "Base de données occupée (database is locked) : POST /verrou/" in caplog.text


@pytest.mark.urls(__name__)
def test_other_database_errors_stay_server_errors(client):
    with pytest.raises(OperationalError, match="no such table"):
        client.get("/casse/")
