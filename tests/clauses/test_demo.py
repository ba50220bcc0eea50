import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum

from clauses import demo
from clauses.enums import JobDominance, Sex
from clauses.models import Employer, HoursRecord, InsertionClause, Mission, Participant
from procurement.enums import MarketType
from tests.procurement.factories import MarketFactory


@pytest.fixture
def demo_markets(organisation):
    """Markets like the demo buyer's: some with insertion hours over 2024-2027, one without."""
    for index, (start, days, planned) in enumerate(
        [
            (datetime.date(2024, 2, 1), 730, 1200),
            (datetime.date(2024, 6, 15), 1095, 2500),
            (datetime.date(2024, 9, 1), 365, 500),
            (datetime.date(2025, 3, 1), 730, 800),
            (datetime.date(2025, 9, 1), 730, 2500),
            (datetime.date(2026, 1, 15), 365, 350),
        ]
    ):
        MarketFactory(
            organisation=organisation,
            reference=f"DEMO-M{index}",
            market_type=[MarketType.TRAVAUX, MarketType.SERVICES][index % 2],
            execution_start=start,
            execution_end=start + datetime.timedelta(days=days),
            insertion_hours_planned=Decimal(planned),
        )
    MarketFactory(organisation=organisation, reference="SANS-CLAUSE")


def fingerprint(organisation) -> list[tuple]:
    return list(
        HoursRecord.objects.filter(mission__participant__organisation=organisation)
        .order_by("mission__participant__reference", "mission__market__reference", "month")
        .values_list("mission__participant__reference", "mission__market__reference", "month", "hours")
    )


def test_the_demo_has_realistic_shares(organisation, demo_markets):
    demo.seed(organisation=organisation)

    participants = Participant.objects.filter(organisation=organisation)
    records = HoursRecord.objects.filter(mission__participant__organisation=organisation)
    total = records.aggregate(total=Sum("hours"))["total"]
    women_hours = records.filter(mission__participant__sex=Sex.F).aggregate(total=Sum("hours"))["total"]
    assert participants.count() == 150
    assert participants.filter(sex=Sex.F).count() == 26  # 17,3 %
    assert Decimal("0.14") <= women_hours / total <= Decimal("0.20")
    assert not participants.filter(missions__isnull=True).exists()
    assert {month.year for month in records.dates("month", "year")} == {2024, 2025, 2026}
    men_in_female_jobs = Mission.objects.filter(participant__sex=Sex.H, job_dominance=JobDominance.FEMALE)
    women_in_male_jobs = Mission.objects.filter(participant__sex=Sex.F, job_dominance=JobDominance.MALE)
    assert 3 <= men_in_female_jobs.values("participant").distinct().count() <= 20
    assert 1 <= women_in_male_jobs.values("participant").distinct().count() <= 10
    assert InsertionClause.objects.filter(market__organisation=organisation).count() == 6
    assert not records.filter(hours__lte=0).exists()


def test_the_demo_is_idempotent_and_deterministic(organisation, demo_markets):
    demo.seed(organisation=organisation)
    first = fingerprint(organisation)

    demo.seed(organisation=organisation)
    assert fingerprint(organisation) == first
    assert Participant.objects.filter(organisation=organisation).count() == 150

    HoursRecord.objects.all().delete()
    Mission.objects.all().delete()
    Participant.objects.all().delete()
    Employer.objects.all().delete()
    InsertionClause.objects.all().delete()
    demo.seed(organisation=organisation)
    assert fingerprint(organisation) == first


def test_the_demo_does_nothing_without_clause_markets(organisation):
    demo.seed(organisation=organisation)

    assert not Participant.objects.filter(organisation=organisation).exists()
