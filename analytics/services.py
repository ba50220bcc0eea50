"""Writes of the statistics: settings, computation jobs (queue, run, retry, sweep), snapshots (store, freeze).

A job is queued after the transaction commits; publishing to the broker is bounded in time (settings
CELERY_BROKER_* and CELERY_TASK_PUBLISH_RETRY_POLICY), so a missing Redis marks the job failed within seconds
instead of hanging the page. The worker records its progress and a heartbeat on the job; the sweeper fails jobs
whose worker vanished. Results are stored as snapshots, and a frozen ("figé") snapshot is never overwritten.
"""

import datetime
import logging
import uuid
from collections.abc import Iterable

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from analytics import selectors
from analytics.enums import JobStatus
from analytics.indicators import compute_indicators
from analytics.models import AnalyticsSettings, IndicatorJob, IndicatorSnapshot, scope_key_of
from analytics.serialisation import to_snapshot
from procurement import locks
from procurement.models import Organisation, User

logger = logging.getLogger(__name__)

UNAVAILABLE = (
    "Le service de calcul est indisponible : le calcul n'a pas pu être lancé. Réessayez dans quelques minutes ; "
    "si le problème persiste, prévenez l'administrateur de la plateforme."
)
UNEXPECTED = (
    "Le calcul a échoué sur une erreur inattendue. Réessayez ; si l'échec se répète, prévenez l'administrateur "
    "de la plateforme (calcul n° {job_id})."
)
TOO_LONG = (
    "Le calcul a dépassé la durée maximale autorisée et a été interrompu. Réessayez avec une période plus courte, "
    "ou prévenez l'administrateur de la plateforme."
)
STALE_RUNNING = (
    "Le calcul ne donne plus signe de vie depuis {minutes} minutes (le service de calcul a probablement été "
    "arrêté). Relancez-le."
)
STALE_QUEUED = (
    "Le calcul attend depuis plus de {minutes} minutes sans avoir commencé : le service de calcul ne semble pas "
    "fonctionner. Relancez-le ; si le problème persiste, prévenez l'administrateur de la plateforme."
)

CONSOLIDATION_REFUSED = (
    "Seul·e un·e administrateur·rice de la plateforme peut calculer, relancer ou figer les chiffres de plusieurs "
    "organisations."
)


class AnalyticsError(Exception):
    """A refusal with a French message for the user."""


# Settings ----------------------------------------------------------------------------------------------------


@transaction.atomic
def update_settings(*, organisation: Organisation, secrecy_enabled: bool, secrecy_threshold: int) -> AnalyticsSettings:
    analytics_settings, _ = AnalyticsSettings.objects.update_or_create(
        organisation=organisation,
        defaults={"secrecy_enabled": secrecy_enabled, "secrecy_threshold": secrecy_threshold},
    )
    return analytics_settings


# Jobs --------------------------------------------------------------------------------------------------------


@transaction.atomic
def request_computation(
    *,
    organisation: Organisation,
    start: datetime.date,
    end: datetime.date,
    requested_by: User | None,
    organisations: Iterable[Organisation] | None = None,
) -> IndicatorJob:
    """Queues the computation of every indicator over [start, end] for the buyer (or, for a platform admin, for
    several organisations). A computation of the same scope and period already queued or running is returned
    instead of a second one (a double click computes once)."""
    if start > end:
        raise AnalyticsError("La date de début doit précéder la date de fin.")
    computed = list(organisations) if organisations else [organisation]
    if [item.pk for item in computed] != [organisation.pk] and not (
        requested_by is not None and requested_by.is_superuser
    ):
        raise AnalyticsError(CONSOLIDATION_REFUSED)
    scope_key = scope_key_of(item.pk for item in computed)
    # One request of an organisation at a time: without it, a double click (or the API call sent twice) finds no
    # computation queued in both requests and queues two.
    locks.hold(purpose=locks.INDICATOR_JOBS, organisation_id=organisation.pk)
    existing = (
        IndicatorJob.objects.select_for_update()
        .for_organisation(organisation)
        .for_period(scope_key=scope_key, start=start, end=end)
        .active()
        .first()
    )
    if existing is not None:
        return existing
    job = IndicatorJob.objects.create(
        organisation=organisation,
        scope_key=scope_key,
        start=start,
        end=end,
        requested_by=requested_by,
        queued_at=timezone.now(),
    )
    job.organisations.set(computed)
    transaction.on_commit(lambda: enqueue(job_id=job.pk))
    return job


@transaction.atomic
def retry_job(*, job: IndicatorJob, requested_by: User | None) -> IndicatorJob:
    """Queues a failed job again (same parameters); a job not failed is left as it is."""
    job = IndicatorJob.objects.select_for_update().get(pk=job.pk)
    if not selectors.visible_jobs(organisation=job.organisation, user=requested_by).filter(pk=job.pk).exists():
        raise AnalyticsError(CONSOLIDATION_REFUSED)
    if job.status != JobStatus.FAILED:
        return job
    job.status = JobStatus.QUEUED
    job.progress = 0
    job.error = ""
    job.queued_at = timezone.now()
    job.started_at = job.heartbeat_at = job.finished_at = None
    if requested_by is not None:
        job.requested_by = requested_by
    job.save()
    transaction.on_commit(lambda: enqueue(job_id=job.pk))
    return job


def enqueue(*, job_id: int) -> None:
    """Publishes the job's task; when the broker cannot be reached, the job fails at once with a clear reason.

    Runs after commit (never inside a transaction the worker could not see). With eager Celery (no REDIS_URL),
    the computation runs here, in process.
    """
    from analytics import tasks  # tasks call the services: imported here to keep one direction at import time

    task_id = str(uuid.uuid4())
    IndicatorJob.objects.filter(pk=job_id).update(celery_task_id=task_id)
    if current_app.conf.task_always_eager:
        tasks.compute_indicator_job.apply_async(args=[job_id], task_id=task_id)
        return
    try:
        # A fresh connection: bounded by the connection timeout and the publish retry policy of the settings.
        with current_app.connection_for_write() as connection:
            tasks.compute_indicator_job.apply_async(args=[job_id], task_id=task_id, connection=connection)
    except Exception:  # any broker failure (kombu OperationalError, socket errors, redis errors)
        logger.warning("Calcul %s : le courtier Celery est injoignable.", job_id, exc_info=True)
        _fail(job_id=job_id, reason=UNAVAILABLE, only_if_task_id=task_id)


def _fail(*, job_id: int, reason: str, only_if_task_id: str | None = None) -> bool:
    jobs = IndicatorJob.objects.filter(pk=job_id).exclude(status__in=[JobStatus.DONE, JobStatus.FAILED])
    if only_if_task_id is not None:
        jobs = jobs.filter(celery_task_id=only_if_task_id)
    return bool(jobs.update(status=JobStatus.FAILED, error=reason, finished_at=timezone.now()))


def record_progress(*, job_id: int, progress: int) -> None:
    """Progress and heartbeat, written at once (outside any transaction) so pages see them while it runs."""
    now = timezone.now()
    IndicatorJob.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(progress=progress, heartbeat_at=now)


def _start(*, job_id: int, task_id: str | None) -> IndicatorJob | None:
    """Marks the job running; None when there is nothing to do (done, failed, or an older message of a retried job)."""
    with transaction.atomic():
        job = IndicatorJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
            return None
        if task_id and job.celery_task_id and task_id != job.celery_task_id:
            return None
        now = timezone.now()
        job.status = JobStatus.RUNNING
        job.started_at = job.heartbeat_at = now
        job.progress = 5
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "heartbeat_at", "progress", "attempts"])
        return job


def run_job(*, job_id: int, task_id: str | None = None) -> IndicatorJob | None:
    """Computes the job's indicators and stores the snapshot. Idempotent: a done job is left as it is, and a message
    delivered twice (acks_late) finds the job running or done."""
    job = _start(job_id=job_id, task_id=task_id)
    if job is None:
        return None
    try:
        organisations = list(job.organisations.order_by("pk"))
        version = selectors.data_version(
            organisation_ids=[item.pk for item in organisations], start=job.start, end=job.end
        )
        record_progress(job_id=job.pk, progress=20)
        indicator_set = compute_indicators(organisations=organisations, start=job.start, end=job.end)
        record_progress(job_id=job.pk, progress=80)
        values = to_snapshot(indicator_set)
        record_progress(job_id=job.pk, progress=90)
        store_snapshot(job=job, values=values, data_version=version)
    except SoftTimeLimitExceeded:
        _fail(job_id=job.pk, reason=TOO_LONG)
    except Exception:
        logger.exception("Calcul %s : échec", job.pk)
        _fail(job_id=job.pk, reason=UNEXPECTED.format(job_id=job.pk))
    job.refresh_from_db()
    return job


@transaction.atomic
def store_snapshot(*, job: IndicatorJob, values: dict, data_version: str) -> IndicatorSnapshot:
    """Stores the result and closes the job. Older unfrozen results of the same period are replaced; a frozen one
    is kept untouched (the page compares it with this new computation)."""
    now = timezone.now()
    snapshot = IndicatorSnapshot.objects.create(
        organisation_id=job.organisation_id,
        scope_key=job.scope_key,
        start=job.start,
        end=job.end,
        computed_at=now,
        data_version=data_version,
        values=values,
    )
    IndicatorSnapshot.objects.for_organisation(job.organisation).for_period(
        scope_key=job.scope_key, start=job.start, end=job.end
    ).not_frozen().exclude(pk=snapshot.pk).delete()
    IndicatorJob.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE, progress=100, finished_at=now, heartbeat_at=now, snapshot=snapshot, error=""
    )
    return snapshot


def sweep_stale_jobs(*, now: datetime.datetime | None = None) -> int:
    """Fails running jobs without heartbeat and queued jobs never started, each with a reason; returns how many."""
    now = now or timezone.now()
    running_minutes = settings.ANALYTICS_JOB_HEARTBEAT_TIMEOUT_MINUTES
    queued_minutes = settings.ANALYTICS_JOB_QUEUE_TIMEOUT_MINUTES
    finished = {"status": JobStatus.FAILED, "finished_at": now}
    swept = IndicatorJob.objects.running_without_heartbeat_since(now - datetime.timedelta(minutes=running_minutes))
    count = swept.update(error=STALE_RUNNING.format(minutes=running_minutes), **finished)
    stuck = IndicatorJob.objects.queued_before(now - datetime.timedelta(minutes=queued_minutes))
    count += stuck.update(error=STALE_QUEUED.format(minutes=queued_minutes), **finished)
    return count


def request_nightly_computations(*, today: datetime.date | None = None) -> list[IndicatorJob]:
    """The current calendar year of every organisation, recomputed (the Celery beat schedule runs it each night)."""
    today = today or timezone.localdate()
    start, end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    return [
        request_computation(organisation=organisation, start=start, end=end, requested_by=None)
        for organisation in Organisation.objects.order_by("pk")
    ]


# Snapshots ---------------------------------------------------------------------------------------------------


@transaction.atomic
def freeze_snapshot(*, snapshot: IndicatorSnapshot, frozen_by: User) -> IndicatorSnapshot:
    """Publishes ("fige") a computation: it is kept as it is whatever later computations find."""
    # One freeze of an organisation at a time: two computations of one period frozen at once would both find the
    # period not frozen yet (the second one then refused by the database's one frozen snapshot per period).
    locks.hold(purpose=locks.FROZEN_SNAPSHOTS, organisation_id=snapshot.organisation_id)
    snapshot = IndicatorSnapshot.objects.select_for_update().get(pk=snapshot.pk)
    if (
        not selectors.visible_snapshots(organisation=snapshot.organisation, user=frozen_by)
        .filter(pk=snapshot.pk)
        .exists()
    ):
        raise AnalyticsError(CONSOLIDATION_REFUSED)
    if snapshot.is_frozen:
        raise AnalyticsError("Ce calcul est déjà figé.")
    already = (
        IndicatorSnapshot.objects.for_organisation(snapshot.organisation)
        .for_period(scope_key=snapshot.scope_key, start=snapshot.start, end=snapshot.end)
        .frozen()
        .exists()
    )
    if already:
        raise AnalyticsError(
            "Cette période est déjà figée\u00a0: les chiffres publiés ne peuvent pas être remplacés. "
            "Comparez-les avec le nouveau calcul sur le tableau de bord."
        )
    snapshot.frozen_at = timezone.now()
    snapshot.frozen_by = frozen_by
    snapshot.save(update_fields=["frozen_at", "frozen_by"])
    return snapshot
