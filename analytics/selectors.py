"""Reads of the statistics pages: snapshots, jobs, settings, and the fingerprint of the data a snapshot came from.

Every read of snapshots or jobs starts from `visible_snapshots` / `visible_jobs`: what a user may see of a
buyer's figures.
"""

import datetime
import hashlib

from django.db.models import Count, Max, Q, QuerySet, Sum

from analytics.models import AnalyticsSettings, IndicatorJob, IndicatorSnapshot, scope_key_of
from clauses.models import HoursRecord, InsertionClause, Mission, Participant
from procurement.models import Market, MarketHolder, Organisation, StampedSpecification, User
from questionnaire.models import AnnexResponse
from questionnaire.titulaires.selectors import answer_window


def settings_for(*, organisation: Organisation) -> AnalyticsSettings:
    """The buyer's settings, or the defaults (secrecy on, threshold 3) when never saved."""
    return AnalyticsSettings.objects.filter(organisation=organisation).first() or AnalyticsSettings(
        organisation=organisation
    )


def visible_snapshots(*, organisation: Organisation, user: User | None) -> QuerySet[IndicatorSnapshot]:
    """The snapshots of this buyer's dashboard that the user may read, download or freeze: those of the buyer alone;
    a consolidated one (other organisations than the buyer's) only for a platform administrator. Subtracting the
    buyer's own figures from a consolidated snapshot would give the other buyers' figures, secrecy or not."""
    snapshots = IndicatorSnapshot.objects.for_organisation(organisation)
    if user is not None and user.is_superuser:
        return snapshots
    return snapshots.filter(scope_key=scope_key_of([organisation.pk]))


def visible_jobs(*, organisation: Organisation, user: User | None) -> QuerySet[IndicatorJob]:
    """The computations of this buyer's dashboard that the user may follow or retry (same rule as the snapshots)."""
    jobs = IndicatorJob.objects.for_organisation(organisation)
    if user is not None and user.is_superuser:
        return jobs
    return jobs.filter(scope_key=scope_key_of([organisation.pk]))


def latest_snapshot(
    *, organisation: Organisation, user: User | None, scope_key: str, start: datetime.date, end: datetime.date
) -> IndicatorSnapshot | None:
    """The most recent computation of the period (frozen or not)."""
    return (
        visible_snapshots(organisation=organisation, user=user)
        .for_period(scope_key=scope_key, start=start, end=end)
        .select_related("frozen_by")
        .first()
    )


def frozen_snapshot(
    *, organisation: Organisation, user: User | None, scope_key: str, start: datetime.date, end: datetime.date
) -> IndicatorSnapshot | None:
    return (
        visible_snapshots(organisation=organisation, user=user)
        .for_period(scope_key=scope_key, start=start, end=end)
        .frozen()
        .select_related("frozen_by")
        .first()
    )


def frozen_snapshots(*, organisation: Organisation, user: User | None, scope_key: str) -> list[IndicatorSnapshot]:
    """Every published period of this scope, newest period first: what a computation can be compared with."""
    return list(
        visible_snapshots(organisation=organisation, user=user)
        .filter(scope_key=scope_key)
        .frozen()
        .order_by("-start", "-end")
    )


def snapshot_of(*, organisation: Organisation, user: User | None, pk: int) -> IndicatorSnapshot | None:
    return visible_snapshots(organisation=organisation, user=user).filter(pk=pk).first()


def yearly_snapshots(
    *, organisation: Organisation, user: User | None, scope_key: str, until_year: int, years: int = 5
) -> list[tuple[int, IndicatorSnapshot]]:
    """For each calendar year up to `until_year` that has one, its frozen snapshot, else its latest (oldest first)."""
    first_year = until_year - years + 1
    candidates = (
        visible_snapshots(organisation=organisation, user=user)
        .filter(scope_key=scope_key, start__year__gte=first_year, start__year__lte=until_year)
        .only("pk", "start", "end", "frozen_at", "computed_at", "values")
        .order_by("start", "-computed_at")
    )
    chosen: dict[int, IndicatorSnapshot] = {}
    for snapshot in candidates:
        year = snapshot.start.year
        if snapshot.start != datetime.date(year, 1, 1) or snapshot.end != datetime.date(year, 12, 31):
            continue
        current = chosen.get(year)
        if current is None or (snapshot.is_frozen and not current.is_frozen):
            chosen[year] = snapshot
    return sorted(chosen.items())


def job_of(*, organisation: Organisation, user: User | None, pk: int) -> IndicatorJob | None:
    return visible_jobs(organisation=organisation, user=user).filter(pk=pk).first()


def latest_job(
    *, organisation: Organisation, user: User | None, scope_key: str, start: datetime.date, end: datetime.date
) -> IndicatorJob | None:
    jobs = visible_jobs(organisation=organisation, user=user)
    return jobs.for_period(scope_key=scope_key, start=start, end=end).first()


def active_job(
    *, organisation: Organisation, user: User | None, scope_key: str, start: datetime.date, end: datetime.date
) -> IndicatorJob | None:
    return (
        visible_jobs(organisation=organisation, user=user)
        .for_period(scope_key=scope_key, start=start, end=end)
        .active()
        .first()
    )


def consolidated_scopes(*, organisation: Organisation, user: User | None) -> list[str]:
    """Scopes of several organisations computed from this buyer's dashboard (platform admins only)."""
    return sorted(
        set(
            visible_snapshots(organisation=organisation, user=user)
            .filter(scope_key__contains=",")
            .values_list("scope_key", flat=True)
        )
    )


def data_version(*, organisation_ids: list[int], start: datetime.date, end: datetime.date) -> str:
    """A fingerprint of the inputs of the indicators for these organisations and period, in a few aggregate queries.

    It changes when a response is added, rewritten by an import or withdrawn (from the start of the titulaires'
    answer window, 12 months before the period: section D reads those answers), hours are imported or replaced, a
    participant, market, titulaire, clause, mission (its job or dominance included) or stamped cahier des charges is
    added or changed (where the table keeps a trace of changes: counts, largest ids, sums of hours, last
    modification times). The page compares it with the snapshot's to say "données modifiées depuis le calcul"; it
    never computes the indicators themselves.
    """
    first_month = start.replace(day=1)
    first_answer = answer_window(start, end)[0]
    parts = [
        AnnexResponse.objects.filter(
            organisation__in=organisation_ids, submitted_on__gte=first_answer, submitted_on__lte=end
        )
        .aggregate(
            count=Count("pk"),
            last=Max("pk"),
            withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False)),
            changed=Max("updated_at"),
        )
        .values(),
        HoursRecord.objects.filter(
            mission__market__organisation__in=organisation_ids, month__gte=first_month, month__lte=end
        )
        .aggregate(count=Count("pk"), last=Max("pk"), hours=Sum("hours"))
        .values(),
        Mission.objects.filter(market__organisation__in=organisation_ids)
        .aggregate(count=Count("pk"), last=Max("pk"), changed=Max("updated_at"))
        .values(),
        Participant.objects.filter(organisation__in=organisation_ids)
        .aggregate(count=Count("pk"), changed=Max("updated_at"))
        .values(),
        InsertionClause.objects.filter(market__organisation__in=organisation_ids)
        .aggregate(count=Count("pk"), last=Max("pk"), hours=Sum("hours_planned"))
        .values(),
        Market.objects.filter(organisation__in=organisation_ids)
        .aggregate(count=Count("pk"), changed=Max("updated_at"))
        .values(),
        # A DECP modification replaces titulaires (is_current) without always changing the market's own fields.
        MarketHolder.objects.filter(market__organisation__in=organisation_ids)
        .aggregate(count=Count("pk"), last=Max("pk"), current=Count("pk", filter=Q(is_current=True)))
        .values(),
        StampedSpecification.objects.filter(market__organisation__in=organisation_ids)
        .aggregate(count=Count("pk"), last=Max("pk"))
        .values(),
    ]
    text = repr([sorted(organisation_ids), start.isoformat(), end.isoformat(), [list(part) for part in parts]])
    return hashlib.sha256(text.encode()).hexdigest()
