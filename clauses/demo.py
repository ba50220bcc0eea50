"""Demo data of the clauses d'insertion: clauses on the demo buyer's markets, 150 participants over 2024-2026.

Shares are close to the seed report ("Projet 2"): 26 women out of 150 participants (17 %), doing about as large a
share of the hours, a few men in female-dominated jobs and a few women in male-dominated ones.

Deterministic (one seeded random generator, months up to a fixed last month) and idempotent: a second run adds
nothing. Each clause's hours done are brought to 60-105 % of its planned hours prorated to the elapsed days.
"""

import datetime
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import transaction
from django.utils import timezone

from clauses.enums import ContractType, EligibilityCriterion, EmployerKind, Sex
from clauses.models import Employer, HoursRecord, InsertionClause, Mission, Participant
from clauses.services.participants import save_job_reference, settings_of
from procurement.enums import MarketType
from procurement.models import Market, Organisation
from procurement.validators import with_luhn_key

REFERENCE = "DEMO-{:03d}"
# 150 participants: 26 women (17,3 %), 121 men, 1 non-binary person, 2 who did not say.
SEXES = [Sex.F] * 26 + [Sex.H] * 121 + [Sex.NB] + [Sex.NSP] * 2
FIRST_MONTH = datetime.date(2024, 1, 1)
LAST_MONTH = datetime.date(2026, 10, 1)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Job:
    label: str
    women_share: Decimal  # % of women in the job (the organisation's job list)


JOBS = [
    Job("Agent·e d'entretien des locaux", Decimal(78)),
    Job("Agent·e de restauration collective", Decimal(74)),
    Job("Animateur·rice périscolaire", Decimal(81)),
    Job("Agent·e administratif·ve", Decimal(72)),
    Job("Ouvrier·e du paysage", Decimal(9)),
    Job("Agent·e de propreté urbaine", Decimal(45)),
    Job("Maçon·ne", Decimal(2)),
    Job("Manœuvre du bâtiment", Decimal(4)),
    Job("Électricien·ne", Decimal(3)),
    Job("Peintre en bâtiment", Decimal(14)),
]
EMPLOYERS = [
    ("Bâtir Hainaut", EmployerKind.ENTREPRISE, "4182930"),
    ("Espaces Verts du Nord", EmployerKind.ENTREPRISE, "5291043"),
    ("Chantier d'insertion Escaut", EmployerKind.SIAE, "7730218"),
    ("GEIQ BTP Hainaut", EmployerKind.GEIQ, "8120457"),
    ("ETTI Valenciennes Intérim", EmployerKind.ETTI, "9034762"),
    ("Intérim Nord Services", EmployerKind.INTERIM, "6620981"),
]


def _siret(seed: str) -> str:
    """A valid SIRET (Luhn key) built from a demo prefix."""
    return with_luhn_key(("35" + seed).ljust(13, "1")[:13])


@transaction.atomic
def seed(*, organisation: Organisation) -> None:
    """Clauses on the organisation's markets with insertion hours, then participants, missions and hours."""
    if Participant.objects.filter(organisation=organisation, reference=REFERENCE.format(1)).exists():
        return
    rng = random.Random(2025)  # noqa: S311 (demo data, not security)
    for job in JOBS:
        save_job_reference(organisation=organisation, label=job.label, women_share=job.women_share)
    clause_settings = settings_of(organisation=organisation)
    last_month = min(LAST_MONTH, timezone.localdate().replace(day=1))
    clauses = [clause for clause in _clauses(organisation) if _months_of(clause, last_month)]
    if not clauses:
        return
    employers = [
        Employer.objects.update_or_create(
            organisation=organisation, siret=_siret(seed), defaults={"name": name, "kind": kind}
        )[0]
        for name, kind, seed in EMPLOYERS
    ]
    sexes = SEXES[:]
    rng.shuffle(sexes)
    hours_by_clause: dict[int, list[HoursRecord]] = {clause.pk: [] for clause in clauses}
    for number, sex in enumerate(sexes, start=1):
        participant = Participant.objects.create(
            organisation=organisation,
            reference=REFERENCE.format(number),
            sex=sex,
            birth_year=rng.randrange(1962, 2006),
            postcode=rng.choice(["59300", "59410", "59770", "59880", "59230", "59590"]),
            qpv_resident=rng.random() < 0.4,
            criteria=sorted(rng.sample([c.value for c in EligibilityCriterion if c != EligibilityCriterion.OTHER], 1)),
        )
        jobs = [_job(rng, sex)]
        if rng.random() < 0.12:  # a second contract, on another market
            jobs.append(_job(rng, sex))
        used: set[int] = set()
        for job in jobs:
            candidates = [clause for clause in clauses if clause.pk not in used]
            clause = rng.choices(candidates, weights=[float(c.hours_planned) for c in candidates])[0]
            used.add(clause.pk)
            available = _months_of(clause, last_month)
            first = rng.randrange(len(available))
            months = available[first : first + rng.randrange(2, 9)]
            mission = Mission.objects.create(
                participant=participant,
                market=clause.market,
                employer=_employer(rng, employers, clause.market.market_type),
                contract_type=rng.choice(
                    [ContractType.CDDI, ContractType.INTERIM, ContractType.CDD, ContractType.CONTRAT_PRO]
                ),
                job_label=job.label,
                job_dominance=clause_settings.dominance_of(job.women_share),
                start=max(months[0], clause.start),
                end=_month_end(months[-1]),
            )
            # Women somewhat more often work part time (cleaning, catering, after-school care).
            most = 11000 if sex == Sex.F else 12000
            hours_by_clause[clause.pk].extend(
                HoursRecord(mission=mission, month=month, hours=Decimal(rng.randrange(2000, most)) / 100)
                for month in months
            )
    records: list[HoursRecord] = []
    for clause in clauses:
        records.extend(_scaled(hours_by_clause[clause.pk], _target(clause, last_month, rng)))
    HoursRecord.objects.bulk_create(records, batch_size=1000)


def _clauses(organisation: Organisation) -> list[InsertionClause]:
    for market in Market.objects.filter(organisation=organisation).with_clause().order_by("reference"):
        if market.execution_start and market.execution_end:
            InsertionClause.objects.get_or_create(
                market=market,
                lot=None,
                defaults={
                    "hours_planned": market.insertion_hours_planned,
                    "start": market.execution_start,
                    "end": market.execution_end,
                    "holder_name": "Titulaire du marché " + market.reference,
                },
            )
    return list(
        InsertionClause.objects.filter(market__organisation=organisation)
        .select_related("market")
        .order_by("market__reference", "pk")
    )


def _job(rng: random.Random, sex: str) -> Job:
    female = [job for job in JOBS if job.women_share >= 60]
    male = [job for job in JOBS if job.women_share <= 40]
    if sex == Sex.H:  # a few men in jobs mostly held by women
        return rng.choice(female) if rng.random() < 0.09 else rng.choice(male)
    if sex == Sex.F:  # and some women in jobs mostly held by men
        return rng.choice(male) if rng.random() < 0.25 else rng.choice(female)
    return rng.choice(JOBS)


def _employer(rng: random.Random, employers: list[Employer], market_type: str) -> Employer:
    if market_type == MarketType.TRAVAUX:
        return rng.choice([employers[0], employers[2], employers[3], employers[4]])
    return rng.choice([employers[1], employers[2], employers[4], employers[5]])


def _months_of(clause: InsertionClause, last_month: datetime.date) -> list[datetime.date]:
    """The months of the clause's period between FIRST_MONTH and `last_month`."""
    months, month = [], max(clause.start.replace(day=1), FIRST_MONTH)
    while month <= min(clause.end, last_month):
        months.append(month)
        month = _next_month(month)
    return months


def _next_month(month: datetime.date) -> datetime.date:
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _month_end(month: datetime.date) -> datetime.date:
    return _next_month(month) - datetime.timedelta(days=1)


def _target(clause: InsertionClause, last_month: datetime.date, rng: random.Random) -> Decimal:
    """60-105 % of the clause's planned hours prorated to the days elapsed by the end of `last_month`."""
    elapsed = (min(clause.end, _month_end(last_month)) - clause.start).days + 1
    length = (clause.end - clause.start).days + 1
    share = Fraction(max(elapsed, 0), length) * Fraction(rng.randrange(60, 106), 100)
    return Decimal(share.numerator) * clause.hours_planned / Decimal(share.denominator)


def _scaled(records: list[HoursRecord], target: Decimal) -> list[HoursRecord]:
    """The records with their hours scaled so that they add up to about `target` (at least 1 h a month)."""
    total = sum((record.hours for record in records), Decimal(0))
    if not total:
        return records
    for record in records:
        record.hours = max((record.hours * target / total).quantize(CENT, rounding=ROUND_HALF_UP), Decimal(1))
    return records
