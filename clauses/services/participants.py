"""Writes of the facilitators' screens: clauses, participants, missions, monthly hours, settings, access log."""

import datetime
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from clauses.crypto import encrypt_flag
from clauses.enums import JobDominance
from clauses.models import (
    ClauseSettings,
    Employer,
    HoursRecord,
    InsertionClause,
    JobReference,
    Mission,
    Participant,
    ParticipantAccess,
    normalise_label,
)
from procurement import locks
from procurement.models import Lot, Market, Organisation, User

# The forms say these before saving; the services say them again when another request (a double click, a second
# tab) saved the same thing between the form's check and the save.
PARTICIPANT_REFERENCE_TAKEN = "Cette référence est déjà celle d'un·e autre participant·e."
MISSION_TAKEN = "Cette personne a déjà une mission sur ce marché chez cet employeur\u00a0: modifiez-la."


def clause_taken(lot: Lot | None) -> str:
    where = f"le lot {lot.number}" if lot else "ce marché"
    return f"Une clause d'insertion existe déjà pour {where}."


def lock_market(market: Market) -> None:
    """Clauses are recorded on a market one request at a time: a clause saved by hand, the clause a mission or the
    hours import records from the market. The second request then sees the first one's clause. (FOR NO KEY UPDATE:
    the rows that only point to the market, a candidate's answer among them, are written meanwhile.)"""
    Market.objects.select_for_update(no_key=True).filter(pk=market.pk).first()


def settings_of(*, organisation: Organisation) -> ClauseSettings:
    """The organisation's settings, created with the defaults on first use."""
    settings, _ = ClauseSettings.objects.get_or_create(organisation=organisation)
    return settings


@transaction.atomic
def update_settings(*, organisation: Organisation, retention_months: int, dominance_threshold: Decimal) -> None:
    settings = settings_of(organisation=organisation)
    settings.retention_months = retention_months
    settings.dominance_threshold = dominance_threshold
    settings.save()


@transaction.atomic
def save_job_reference(*, organisation: Organisation, label: str, women_share: Decimal) -> JobReference:
    """Adds a job to the list, or updates the share of women of a job already there (same label)."""
    label = " ".join(label.split())
    # One save of the list at a time: the same job sent twice at once updates it instead of adding it twice.
    locks.hold(purpose=locks.CLAUSE_JOBS, organisation_id=organisation.pk)
    job = JobReference.objects.filter(organisation=organisation, normalised_label=normalise_label(label)).first()
    job = job or JobReference(organisation=organisation)
    job.label, job.women_share = label, women_share
    job.save()
    return job


def default_dominance(*, organisation: Organisation, job_label: str) -> str:
    """The dominance of a job from the organisation's list, `unknown` when the job is not in it."""
    job = JobReference.objects.filter(organisation=organisation, normalised_label=normalise_label(job_label)).first()
    if job is None:
        return JobDominance.UNKNOWN
    return settings_of(organisation=organisation).dominance_of(job.women_share)


def missing_clause_reason(market: Market) -> str | None:
    """Why no hours can be reported on a market that has no clause recorded, in the words of the hours import and
    of the mission form; None when its clause can be recorded from the market (planned hours, execution dates)."""
    if market.insertion_hours_planned is None:
        return (
            f"le marché « {market.reference} » n'a pas de clause d'insertion : indiquez ses heures d'insertion prévues"
        )
    if market.execution_start is None or market.execution_end is None:
        return (
            f"le marché « {market.reference} » n'a pas de dates d'exécution : renseignez-les ou décrivez sa clause "
            "d'insertion"
        )
    return None


def clause_from_market(market: Market) -> InsertionClause:
    """The clause (not saved) that the first hours reported on a market without one record: the market's planned
    hours over its execution dates. The hours import and a mission entered by hand both record it."""
    return InsertionClause(
        market=market,
        hours_planned=market.insertion_hours_planned,
        start=market.execution_start,
        end=market.execution_end,
    )


@transaction.atomic
def save_clause(
    *,
    market: Market,
    clause: InsertionClause | None,
    lot: Lot | None,
    hours_planned: Decimal,
    start: datetime.date,
    end: datetime.date,
    holder_name: str,
    holder_siret: str,
) -> InsertionClause:
    """Raises ValidationError when the market (or the lot) has another clause, saved meanwhile by another request."""
    lock_market(market)
    others = InsertionClause.objects.filter(market=market, lot=lot)
    if clause is not None:
        others = others.exclude(pk=clause.pk)
    if others.exists():
        raise ValidationError({"lot" if lot else NON_FIELD_ERRORS: clause_taken(lot)})
    clause = clause or InsertionClause(market=market)
    clause.lot = lot
    clause.hours_planned = hours_planned
    clause.start, clause.end = start, end
    clause.holder_name, clause.holder_siret = holder_name, holder_siret
    clause.save()
    return clause


@transaction.atomic
def save_participant(
    *,
    organisation: Organisation,
    participant: Participant | None,
    reference: str,
    sex: str,
    birth_year: int | None,
    postcode: str,
    qpv_resident: bool,
    criteria: list[str],
    has_rqth: bool | None,
    first_name: str,
    last_name: str,
    contact: str,
) -> Participant:
    participant = participant or Participant(organisation=organisation)
    participant.reference = reference
    participant.sex = sex
    participant.birth_year = birth_year
    participant.postcode = postcode
    participant.qpv_resident = qpv_resident
    participant.criteria = sorted(set(criteria))
    participant.rqth_token = encrypt_flag(has_rqth)
    participant.first_name, participant.last_name, participant.contact = first_name, last_name, contact
    others = Participant.objects.filter(organisation=organisation, reference=reference).exclude(pk=participant.pk)
    with locks.refused_if_taken(others, ValidationError({"reference": PARTICIPANT_REFERENCE_TAKEN})):
        participant.save()
    return participant


@transaction.atomic
def save_mission(
    *,
    participant: Participant,
    mission: Mission | None,
    market: Market,
    employer_siret: str,
    employer_name: str,
    employer_kind: str,
    contract_type: str,
    job_label: str,
    job_dominance: str,
    start: datetime.date | None,
    end: datetime.date | None,
) -> Mission:
    """Creates or edits a mission; the employer is found by SIRET (and its name and kind completed). On a market
    without a clause, records the one the market describes (`clause_from_market`), as the hours import does.
    Raises ValidationError when the person already has a mission on that market with that employer."""
    organisation = participant.organisation
    lock_market(market)
    employer, _ = Employer.objects.get_or_create(organisation=organisation, siret=employer_siret)
    others = Mission.objects.filter(participant=participant, market=market, employer=employer)
    if mission is not None:
        others = others.exclude(pk=mission.pk)
    if others.exists():
        raise ValidationError(MISSION_TAKEN)
    if employer_name or employer_kind:
        employer.name = employer_name or employer.name
        employer.kind = employer_kind or employer.kind
        employer.save(update_fields=["name", "kind"])
    mission = mission or Mission(participant=participant)
    mission.market = market
    mission.employer = employer
    mission.contract_type = contract_type
    mission.job_label = job_label
    mission.job_dominance = job_dominance or default_dominance(organisation=organisation, job_label=job_label)
    mission.start, mission.end = start, end
    mission.save()
    if not InsertionClause.objects.filter(market=market).exists() and missing_clause_reason(market) is None:
        clause_from_market(market).save()
    return mission


@transaction.atomic
def set_month_hours(*, mission: Mission, month: datetime.date, hours: Decimal | None) -> None:
    """Records the hours of a month (replacing what was there); no hours, or 0, removes the month."""
    month = month.replace(day=1)
    if not hours:
        HoursRecord.objects.filter(mission=mission, month=month).delete()
        return
    HoursRecord.objects.update_or_create(mission=mission, month=month, defaults={"hours": hours})


def log_access(*, participant: Participant, user: User) -> ParticipantAccess:
    return ParticipantAccess.objects.create(participant=participant, user=user)
