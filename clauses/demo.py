"""Demo data of the clauses d'insertion: clauses on the demo buyer's markets, ~150 participants over three years.

Shares are close to the seed report ("Projet 2"): about 17 % women, a few men in female-dominated jobs and some
women in male-dominated ones. Deterministic (seeded) and idempotent: a second run adds nothing.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clauses.enums import ContractType, EligibilityCriterion, EmployerKind, Sex
from clauses.models import Employer, HoursRecord, InsertionClause, Mission, Participant
from clauses.services.participants import save_job_reference, settings_of
from procurement.models import Market, Organisation

PARTICIPANTS = 150
REFERENCE = "DEMO-{:03d}"
JOBS = [
    ("Agent·e d'entretien des locaux", Decimal(78)),
    ("Agent·e administratif·ve", Decimal(72)),
    ("Aide à domicile", Decimal(95)),
    ("Maçon·ne", Decimal(2)),
    ("Manœuvre du bâtiment", Decimal(4)),
    ("Ouvrier·e du paysage", Decimal(9)),
    ("Électricien·ne", Decimal(3)),
    ("Peintre en bâtiment", Decimal(14)),
    ("Agent·e de propreté urbaine", Decimal(45)),
]
EMPLOYERS = [
    ("Bâtir Hainaut", EmployerKind.ENTREPRISE, "4182930"),
    ("Espaces Verts du Nord", EmployerKind.ENTREPRISE, "5291043"),
    ("Chantier d'insertion Escaut", EmployerKind.SIAE, "7730218"),
    ("GEIQ BTP Hainaut", EmployerKind.GEIQ, "8120457"),
    ("ETTI Valenciennes Intérim", EmployerKind.ETTI, "9034762"),
]


def _siret(seed: str) -> str:
    """A valid SIRET (Luhn key) built from a demo prefix."""
    body = ("35" + seed).ljust(13, "1")[:13]
    for last in "0123456789":
        digits = body + last
        total = sum(
            (int(char) * 2 - 9 if int(char) * 2 > 9 else int(char) * 2) if index % 2 else int(char)
            for index, char in enumerate(reversed(digits))
        )
        if total % 10 == 0:
            return digits
    raise AssertionError("unreachable")


@transaction.atomic
def seed(*, organisation: Organisation) -> None:
    if Participant.objects.filter(organisation=organisation, reference=REFERENCE.format(1)).exists():
        return
    rng = random.Random(2025)  # noqa: S311 (demo data, not security)
    settings_of(organisation=organisation)
    for label, share in JOBS:
        save_job_reference(organisation=organisation, label=label, women_share=share)
    clause_settings = settings_of(organisation=organisation)
    clauses = _clauses(organisation)
    if not clauses:
        return
    employers = [
        Employer.objects.update_or_create(
            organisation=organisation, siret=_siret(seed), defaults={"name": name, "kind": kind}
        )[0]
        for name, kind, seed in EMPLOYERS
    ]
    today = timezone.localdate()
    last_month = today.replace(day=1)
    hours: list[HoursRecord] = []
    for number in range(1, PARTICIPANTS + 1):
        sex = rng.choices([Sex.F, Sex.H, Sex.NB, Sex.NSP], weights=[20, 77, 1, 2])[0]
        participant = Participant.objects.create(
            organisation=organisation,
            reference=REFERENCE.format(number),
            sex=sex,
            birth_year=rng.randrange(1962, 2006),
            postcode=rng.choice(["59300", "59410", "59770", "59880", "59230", "59590"]),
            qpv_resident=rng.random() < 0.4,
            criteria=sorted(rng.sample([c.value for c in EligibilityCriterion if c != EligibilityCriterion.OTHER], 1)),
        )
        for clause in rng.sample(clauses, 2 if rng.random() < 0.12 else 1):
            label = _job(rng, sex)
            share = dict(JOBS)[label]
            start = max(clause.start, datetime.date(2024, 1, 1)) + datetime.timedelta(days=rng.randrange(0, 200))
            first = start.replace(day=1)
            if first > last_month or first > clause.end:
                continue
            months = _months(first, min(clause.end.replace(day=1), last_month), limit=rng.randrange(1, 9))
            if not months:
                continue
            mission = Mission.objects.create(
                participant=participant,
                market=clause.market,
                employer=rng.choice(employers),
                contract_type=rng.choice(
                    [ContractType.CDDI, ContractType.INTERIM, ContractType.CDD, ContractType.CONTRAT_PRO]
                ),
                job_label=label,
                job_dominance=clause_settings.dominance_of(share),
                start=start,
                end=(months[-1] + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1),
            )
            hours.extend(
                HoursRecord(mission=mission, month=month, hours=Decimal(rng.randrange(500, 2400)) / 100)
                for month in months
            )
    HoursRecord.objects.bulk_create(hours, batch_size=1000)


def _clauses(organisation: Organisation) -> list[InsertionClause]:
    for market in Market.objects.filter(organisation=organisation).with_clause():
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
    return list(InsertionClause.objects.filter(market__organisation=organisation).select_related("market"))


def _job(rng: random.Random, sex: str) -> str:
    female = [label for label, share in JOBS if share >= 60]
    male = [label for label, share in JOBS if share <= 40]
    if sex == Sex.H:
        return rng.choice(female) if rng.random() < 0.08 else rng.choice(male)
    if sex == Sex.F:
        return rng.choice(male) if rng.random() < 0.35 else rng.choice(female)
    return rng.choice([label for label, _ in JOBS])


def _months(first: datetime.date, last: datetime.date, *, limit: int) -> list[datetime.date]:
    months, month = [], first
    while month <= last and len(months) < limit:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months
