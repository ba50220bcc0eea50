"""Computation jobs with eager Celery: lifecycle, idempotence, failures with a reason, retry, snapshots, freezing."""

import datetime
import time

import pytest
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from analytics import selectors, services, tasks
from analytics.enums import JobStatus
from analytics.indicators import compute_indicators
from analytics.models import IndicatorJob, IndicatorSnapshot
from analytics.serialisation import from_snapshot, to_snapshot
from config.celery import app
from procurement.awards.enums import HolderRole
from procurement.models import MarketHolder
from questionnaire.services.responses import withdraw_response
from tests.analytics.conftest import END, JUNE, START
from tests.procurement.factories import MarketFactory, OrganisationFactory, UserFactory
from tests.questionnaire.factories import AnnexResponseFactory


def test_a_requested_job_runs_after_commit_and_stores_the_exact_values(organisation, responses, compute, buyer):
    job = compute(organisation)

    assert job.status == JobStatus.DONE
    assert job.progress == 100
    assert job.attempts == 1
    assert job.requested_by == buyer
    assert job.started_at <= job.finished_at
    assert job.error == ""
    snapshot = job.snapshot
    assert (snapshot.start, snapshot.end, snapshot.scope_key) == (START, END, str(organisation.pk))
    expected = compute_indicators(organisations=organisation, start=START, end=END)
    assert snapshot.indicator_set() == expected
    # 3 structures of 2 + 10 women out of 27 staff: 36 / 81.
    share = snapshot.indicator_set().by_key()["staff_all_F_share"]
    assert (share.numerator, share.denominator) == (36, 81)
    assert snapshot.data_version == selectors.data_version(organisation_ids=[organisation.pk], start=START, end=END)


def test_nothing_is_queued_before_the_transaction_commits(organisation, buyer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.request_computation(organisation=organisation, start=START, end=END, requested_by=buyer)

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.celery_task_id == ""


def test_a_second_request_while_one_is_queued_returns_the_same_job(organisation, buyer):
    first = services.request_computation(organisation=organisation, start=START, end=END, requested_by=buyer)
    second = services.request_computation(organisation=organisation, start=START, end=END, requested_by=buyer)

    assert first.pk == second.pk
    assert IndicatorJob.objects.count() == 1


def test_a_period_ending_before_it_starts_is_refused(organisation, buyer):
    with pytest.raises(services.AnalyticsError, match="La date de début doit précéder la date de fin"):
        services.request_computation(organisation=organisation, start=END, end=START, requested_by=buyer)


def test_only_a_platform_admin_computes_several_organisations(organisation, other_organisation, buyer, compute):
    with pytest.raises(services.AnalyticsError, match="plusieurs organisations"):
        services.request_computation(
            organisation=organisation,
            organisations=[organisation, other_organisation],
            start=START,
            end=END,
            requested_by=buyer,
        )
    AnnexResponseFactory(organisation=organisation, submitted_at=JUNE)
    AnnexResponseFactory(organisation=other_organisation, submitted_at=JUNE)
    superuser = UserFactory(is_superuser=True)

    job = services.request_computation(
        organisation=organisation,
        organisations=[other_organisation, organisation],
        start=START,
        end=END,
        requested_by=superuser,
    )
    services.enqueue(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.snapshot.scope_key == ",".join(str(pk) for pk in sorted([organisation.pk, other_organisation.pk]))
    assert job.snapshot.indicator_set().by_key()["respondents"].value == 2


def test_a_failing_computation_marks_the_job_failed_with_a_french_reason(organisation, compute, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "compute_indicators", broken)

    job = compute(organisation)

    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Le calcul a échoué sur une erreur inattendue. Réessayez")
    assert f"calcul n° {job.pk}" in job.error
    assert job.snapshot is None
    assert not IndicatorSnapshot.objects.exists()


def test_a_failed_job_is_retried_with_the_same_parameters(organisation, responses, compute, monkeypatch, buyer):
    monkeypatch.setattr(services, "compute_indicators", lambda **kwargs: 1 / 0)
    job = compute(organisation)
    assert job.status == JobStatus.FAILED
    first_task_id = job.celery_task_id
    monkeypatch.undo()

    services.retry_job(job=job, requested_by=buyer)
    services.enqueue(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert job.error == ""
    assert job.attempts == 2
    assert job.celery_task_id != first_task_id
    assert job.snapshot.indicator_set().by_key()["respondents"].value == 3


def test_running_a_done_job_again_changes_nothing(organisation, responses, compute):
    job = compute(organisation)
    snapshot_id, finished_at = job.snapshot_id, job.finished_at

    assert services.run_job(job_id=job.pk, task_id=job.celery_task_id) is None

    job.refresh_from_db()
    assert (job.snapshot_id, job.finished_at, job.attempts) == (snapshot_id, finished_at, 1)
    assert IndicatorSnapshot.objects.count() == 1


def test_an_older_message_of_a_retried_job_is_ignored(organisation, buyer):
    job = services.request_computation(organisation=organisation, start=START, end=END, requested_by=buyer)
    IndicatorJob.objects.filter(pk=job.pk).update(celery_task_id="new-task")

    assert services.run_job(job_id=job.pk, task_id="old-task") is None
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert job.attempts == 0


def test_a_missing_job_is_ignored_by_the_task(organisation):
    assert services.run_job(job_id=987654, task_id="any") is None


def test_an_unreachable_broker_fails_the_job_within_seconds(organisation, buyer, celery_broker):
    """A real publish to a closed port (nothing listens on port 1): the page must not hang."""
    celery_broker("redis://127.0.0.1:1/0")
    job = services.request_computation(organisation=organisation, start=START, end=END, requested_by=buyer)

    began = time.monotonic()
    services.enqueue(job_id=job.pk)
    elapsed = time.monotonic() - began

    job.refresh_from_db()
    assert elapsed < 10
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Le service de calcul est indisponible")
    assert job.finished_at is not None


def test_the_sweeper_fails_silent_running_jobs_and_jobs_queued_too_long(organisation, buyer, settings):
    settings.ANALYTICS_JOB_HEARTBEAT_TIMEOUT_MINUTES = 15
    settings.ANALYTICS_JOB_QUEUE_TIMEOUT_MINUTES = 20
    now = timezone.now()
    ago = lambda minutes: now - datetime.timedelta(minutes=minutes)  # noqa: E731

    def job(status, **times):
        return IndicatorJob.objects.create(
            organisation=organisation, scope_key=str(organisation.pk), start=START, end=END, status=status, **times
        )

    silent = job(JobStatus.RUNNING, queued_at=ago(40), started_at=ago(30), heartbeat_at=ago(16))
    alive = job(JobStatus.RUNNING, queued_at=ago(40), started_at=ago(30), heartbeat_at=ago(14))
    stuck = job(JobStatus.QUEUED, queued_at=ago(21))
    waiting = job(JobStatus.QUEUED, queued_at=ago(19))
    done = job(JobStatus.DONE, queued_at=ago(90), started_at=ago(90), heartbeat_at=ago(89))

    assert services.sweep_stale_jobs(now=now) == 2

    for one in (silent, alive, stuck, waiting, done):
        one.refresh_from_db()
    assert silent.status == stuck.status == JobStatus.FAILED
    assert silent.error.startswith("Le calcul ne donne plus signe de vie depuis 15 minutes")
    assert stuck.error.startswith("Le calcul attend depuis plus de 20 minutes sans avoir commencé")
    assert (alive.status, waiting.status, done.status) == (JobStatus.RUNNING, JobStatus.QUEUED, JobStatus.DONE)


def test_the_sweep_command_reports_how_many_jobs_it_failed(organisation, capsys):
    IndicatorJob.objects.create(
        organisation=organisation,
        scope_key=str(organisation.pk),
        start=START,
        end=END,
        queued_at=timezone.now() - datetime.timedelta(hours=2),
    )

    call_command("sweep_indicator_jobs")

    assert "1 calcul(s) bloqué(s) marqué(s) en échec." in capsys.readouterr().out
    assert IndicatorJob.objects.get().status == JobStatus.FAILED


def test_a_frozen_snapshot_is_kept_when_the_period_is_computed_again(organisation, responses, compute, buyer):
    frozen = services.freeze_snapshot(snapshot=compute(organisation).snapshot, frozen_by=buyer)
    AnnexResponseFactory(organisation=organisation, submitted_at=JUNE)

    newer = compute(organisation).snapshot

    frozen.refresh_from_db()
    assert frozen.is_frozen and frozen.frozen_by == buyer
    assert frozen.indicator_set().by_key()["respondents"].value == 3
    assert newer.indicator_set().by_key()["respondents"].value == 4
    lookup = {
        "organisation": organisation,
        "user": buyer,
        "scope_key": str(organisation.pk),
        "start": START,
        "end": END,
    }
    assert selectors.latest_snapshot(**lookup) == newer
    assert selectors.frozen_snapshot(**lookup) == frozen


def test_an_unfrozen_snapshot_is_replaced_by_the_next_computation(organisation, responses, compute):
    first = compute(organisation).snapshot
    second = compute(organisation).snapshot

    assert not IndicatorSnapshot.objects.filter(pk=first.pk).exists()
    assert list(IndicatorSnapshot.objects.values_list("pk", flat=True)) == [second.pk]


def test_a_period_is_frozen_once(organisation, responses, compute, buyer):
    services.freeze_snapshot(snapshot=compute(organisation).snapshot, frozen_by=buyer)
    newer = compute(organisation).snapshot

    with pytest.raises(services.AnalyticsError, match="Cette période est déjà figée"):
        services.freeze_snapshot(snapshot=newer, frozen_by=buyer)
    with pytest.raises(IntegrityError):
        IndicatorSnapshot.objects.filter(pk=newer.pk).update(frozen_at=timezone.now())


def test_the_data_version_changes_when_a_response_arrives_or_is_withdrawn(organisation, responses):
    def version():
        return selectors.data_version(organisation_ids=[organisation.pk], start=START, end=END)

    before = version()
    AnnexResponseFactory(organisation=organisation, submitted_at=JUNE)
    after_new = version()
    withdraw_response(response=responses[0])

    after_withdrawal = version()
    assert len({before, after_new, after_withdrawal}) == 3
    # A response two years before does not change this period's fingerprint; one of the year before does: it is in
    # the titulaires' answer window (docs/indicateurs.md, D).
    AnnexResponseFactory(organisation=organisation, submitted_at=JUNE.replace(year=2023))
    assert version() == after_withdrawal
    AnnexResponseFactory(organisation=organisation, submitted_at=JUNE.replace(year=2024))
    assert version() != after_withdrawal


def test_the_data_version_changes_when_a_modification_replaces_a_titulaire(organisation):
    market = MarketFactory(organisation=organisation, notified_on=datetime.date(2025, 3, 1))
    holder = MarketHolder.objects.create(market=market, role=HolderRole.TITULAIRE, identifier="1", siren="")

    def version():
        return selectors.data_version(organisation_ids=[organisation.pk], start=START, end=END)

    before = version()
    # Saved through the queryset, as a bulk import does: the market's updated_at stays as it was.
    MarketHolder.objects.filter(pk=holder.pk).update(is_current=False)

    assert version() != before


def test_the_nightly_run_queues_the_current_year_of_every_organisation(organisation, other_organisation):
    jobs = services.request_nightly_computations(today=datetime.date(2026, 2, 3))

    assert {job.organisation for job in jobs} == {organisation, other_organisation}
    assert {(job.start, job.end) for job in jobs} == {(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))}
    assert all(job.requested_by is None for job in jobs)


def test_the_beat_schedule_recomputes_nightly_and_sweeps():
    app.loader.import_default_modules()  # as a worker does at start: every app's tasks module
    schedule = app.conf.beat_schedule
    tasks = {entry["task"] for entry in schedule.values()}

    assert {"analytics.recompute_current_year", "analytics.sweep_indicator_jobs"} <= tasks
    assert set(tasks) <= set(app.tasks)


def test_a_snapshot_round_trips_exactly_through_its_stored_json(organisation, responses, compute):
    snapshot = compute(organisation).snapshot
    snapshot.refresh_from_db()  # values read back from the database's JSON

    assert from_snapshot(snapshot.values) == compute_indicators(organisations=organisation, start=START, end=END)
    assert to_snapshot(snapshot.indicator_set()) == snapshot.values


def test_the_nightly_task_queues_one_job_per_organisation():
    OrganisationFactory.create_batch(2)

    assert tasks.recompute_current_year.apply().get() == 2


def test_the_data_version_changes_when_an_import_rewrites_a_response(organisation):
    # The same structure at the same instant with other answers: the import rewrites the stored response in place
    # (same id, same count), which the fingerprint must still see.
    from questionnaire.services.annex_import import import_annexes
    from tests.questionnaire.test_import import csv_bytes, row

    def version():
        return selectors.data_version(organisation_ids=[organisation.pk], start=START, end=END)

    moment = JUNE.isoformat()
    import_annexes(organisation=organisation, content=csv_bytes([row(submitted_at=moment)]), filename="a.csv")
    before = version()
    result = import_annexes(
        organisation=organisation, content=csv_bytes([row(submitted_at=moment, cadres_f="13")]), filename="a.csv"
    )

    assert (result.created, result.updated) == (0, 1)
    assert version() != before


def test_the_data_version_changes_when_a_reimport_changes_a_missions_job(organisation):
    # The latest month again, same hours, another job dominance: no hour row is added or changed, the mission is.
    from clauses.models import Mission
    from clauses.services.hours_import import import_clause_hours
    from tests.clauses.factories import SIRETS, InsertionClauseFactory
    from tests.utils import CLAUSE_HOURS_COLUMNS

    InsertionClauseFactory(market__organisation=organisation, market__reference="2025-TRX-001")

    def statement(dominance: str) -> bytes:
        line = f"2025-TRX-001;P-1;H;1990;{SIRETS[0]};Aide à domicile;{dominance};CDDI;{START.year}-03;35"
        return ("\n".join([";".join(CLAUSE_HOURS_COLUMNS), line]) + "\n").encode()

    def version():
        return selectors.data_version(organisation_ids=[organisation.pk], start=START, end=END)

    import_clause_hours(organisation=organisation, content=statement("mixed"), filename="releve.csv")
    before = version()
    import_clause_hours(organisation=organisation, content=statement("female"), filename="releve.csv")

    assert Mission.objects.get().job_dominance == "female"
    assert version() != before
