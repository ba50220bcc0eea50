import datetime

from analytics import services as analytics_services
from analytics.models import IndicatorJob


def computed_job_2025(capture, *, organisation, requested_by, organisations=None) -> IndicatorJob:
    """The indicators of 2025 computed as the worker would (the job runs at commit: `capture` is pytest-django's
    `django_capture_on_commit_callbacks`); the job, read again after its run."""
    scope = {} if organisations is None else {"organisations": organisations}
    with capture(execute=True):
        job = analytics_services.request_computation(
            organisation=organisation,
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 12, 31),
            requested_by=requested_by,
            **scope,
        )
    job.refresh_from_db()
    return job
