"""Celery tasks of the statistics: thin, they take ids and call analytics.services.

Idempotent: `compute_indicator_job` leaves a done job as it is and ignores an older message of a retried job, so a
redelivery (acks_late, worker lost) does no harm.
"""

from celery import shared_task
from django.conf import settings

from analytics import services


@shared_task(
    bind=True,
    name="analytics.compute_indicator_job",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=settings.ANALYTICS_JOB_SOFT_TIME_LIMIT_SECONDS,
    time_limit=settings.ANALYTICS_JOB_SOFT_TIME_LIMIT_SECONDS + 60,
)
def compute_indicator_job(self, job_id: int) -> None:
    services.run_job(job_id=job_id, task_id=self.request.id)


# Each task with its own time limit gives a soft limit under it: Celery refuses to publish a task whose soft limit
# (else the global 25 minutes) exceeds its hard limit, which would stop beat from sending it.
@shared_task(name="analytics.sweep_indicator_jobs", ignore_result=True, soft_time_limit=90, time_limit=120)
def sweep_indicator_jobs() -> int:
    return services.sweep_stale_jobs()


@shared_task(name="analytics.recompute_current_year", ignore_result=True, soft_time_limit=540, time_limit=600)
def recompute_current_year() -> int:
    """Nightly (config/celery.py): queues the current year of every organisation."""
    return len(services.request_nightly_computations())
