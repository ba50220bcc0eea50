import datetime

import pytest

from analytics import services
from procurement.enums import Role
from tests.factories import member
from tests.questionnaire.factories import AnnexResponseFactory

YEAR = 2025
START, END = datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)
JUNE = datetime.datetime(YEAR, 6, 15, 10, 0, tzinfo=datetime.UTC)


def client_for(client, organisation, role):
    client.force_login(member(organisation=organisation, role=role))
    return client


@pytest.fixture
def equality_officer_client(client, organisation):
    return client_for(client, organisation, Role.EQUALITY_OFFICER)


@pytest.fixture
def org_admin_client(client, organisation):
    return client_for(client, organisation, Role.ADMIN)


@pytest.fixture
def facilitator_client(client, organisation):
    return client_for(client, organisation, Role.FACILITATOR)


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
