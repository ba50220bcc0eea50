"""Section B of docs/indicateurs.md through compute_indicators, on a hand-built dataset (sums in the comments)."""

import datetime
from decimal import Decimal
from fractions import Fraction

from analytics.indicators import compute_indicators
from clauses.enums import JobDominance, Sex
from procurement.enums import MarketType
from tests.clauses.factories import HoursRecordFactory, InsertionClauseFactory, MissionFactory, ParticipantFactory
from tests.procurement.factories import MarketFactory

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


def month(year: int, number: int) -> datetime.date:
    return datetime.date(year, number, 1)


def work(participant, market, hours: dict, dominance=JobDominance.UNKNOWN):
    mission = MissionFactory(participant=participant, market=market, job_dominance=dominance)
    for first_day, amount in hours.items():
        HoursRecordFactory(mission=mission, month=first_day, hours=Decimal(amount))


def figures(indicator):
    return (indicator.numerator, indicator.denominator, indicator.value)


def test_clause_figures(organisation):
    works = MarketFactory(organisation=organisation, market_type=MarketType.TRAVAUX)
    services = MarketFactory(organisation=organisation, market_type=MarketType.SERVICES)
    supplies = MarketFactory(organisation=organisation, market_type=MarketType.FOURNITURES)
    # Works: the whole of 2025, 1000 h planned. Services: 1 July 2025 to 30 June 2026 (365 days), 730 h planned,
    # 184 days of them in 2025 -> 730 × 184 / 365 = 368 h. Supplies: 2024 only, not in the period.
    InsertionClauseFactory(market=works, hours_planned=Decimal(1000), start=START, end=END)
    InsertionClauseFactory(
        market=services, hours_planned=Decimal(730), start=month(2025, 7), end=datetime.date(2026, 6, 30)
    )
    InsertionClauseFactory(
        market=supplies, hours_planned=Decimal(500), start=month(2024, 1), end=datetime.date(2024, 12, 31)
    )
    woman, man, non_binary = (ParticipantFactory(organisation=organisation, sex=sex) for sex in (Sex.F, Sex.H, Sex.NB))
    other_woman, absent_man = (ParticipantFactory(organisation=organisation, sex=sex) for sex in (Sex.F, Sex.H))
    # The woman: two contracts (works, male-dominated job; services), counted once.
    work(woman, works, {month(2025, 1): "10.50", month(2025, 2): "20.00"}, JobDominance.MALE)
    work(woman, services, {month(2025, 8): "5.00"})
    # The man: a female-dominated job on works.
    work(man, works, {month(2025, 3): "40.00"}, JobDominance.FEMALE)
    work(non_binary, services, {month(2025, 9): "4.50"})
    # The other woman works on the supplies market, whose clause is not in 2025.
    work(other_woman, supplies, {month(2025, 1): "10.00"})
    # December 2024 is outside the period: this man is not a participant of 2025.
    work(absent_man, services, {month(2024, 12): "100.00"})

    result = compute_indicators(organisations=organisation, start=START, end=END).by_key()

    # Participants: the woman, the man, the non-binary person, the other woman -> 4 (2 F, 1 H, 1 NB).
    assert figures(result["participants"]) == (4, None, 4)
    assert figures(result["participants_F_share"]) == (2, 4, Fraction(1, 2))
    assert figures(result["participants_H_share"]) == (1, 4, Fraction(1, 4))
    assert figures(result["participants_NB_share"]) == (1, 4, Fraction(1, 4))
    assert figures(result["participants_NSP_share"]) == (0, 4, Fraction(0))
    # Hours: 10.50 + 20 + 5 + 40 + 4.50 + 10 = 90; women 10.50 + 20 + 5 + 10 = 45.50 -> 45.5 / 90 = 91 / 180.
    assert figures(result["hours_total"]) == (Decimal("90.00"), None, Decimal("90.00"))
    assert figures(result["hours_F_share"]) == (Decimal("45.50"), Decimal("90.00"), Fraction(91, 180))
    assert result["hours_H_share"].value == Fraction(40, 90)
    assert result["hours_NB_share"].value == Fraction(1, 20)
    # One man of one in a female-dominated job; one woman of two in a male-dominated job.
    assert figures(result["men_in_female_dominated_jobs"]) == (1, 1, 1)
    assert figures(result["women_in_male_dominated_jobs"]) == (1, 2, 1)
    # Markets whose clause overlaps 2025: works and services.
    assert figures(result["markets_with_clause"]) == (2, None, 2)
    assert result["markets_with_clause_works"].value == 1
    assert result["markets_with_clause_services"].value == 1
    assert result["markets_with_clause_supplies"].value == 0
    # Completion: hours on those two markets 10.50 + 20 + 5 + 40 + 4.50 = 80 / (1000 + 368) = 80 / 1368 = 10 / 171.
    assert result["hours_completion"].numerator == Decimal("80.00")
    assert result["hours_completion"].denominator == 1368
    assert result["hours_completion"].value == Fraction(10, 171)


def test_no_hours_give_null_shares(organisation):
    result = compute_indicators(organisations=organisation, start=START, end=END).by_key()

    assert figures(result["participants"]) == (0, None, 0)
    assert result["participants_F_share"].value is None
    assert result["hours_F_share"].value is None
    assert result["hours_completion"].value is None


def test_a_market_with_planned_hours_and_no_hours_reported_yet_counts_with_its_clause_to_come(organisation):
    from analytics.indicators.clauses import clause_indicators_by_market, clause_indicators_by_organisation

    # Works, with a recorded clause: 1000 h over 2025, 100 h done. Services: 730 h planned from 1 July 2025 to
    # 30 June 2026 on the market itself, no hours imported yet, so no clause recorded: 730 × 184 / 365 = 368 h of
    # it in 2025. Supplies: planned hours but no execution dates, and a market without planned hours: neither counts.
    works = MarketFactory(organisation=organisation, market_type=MarketType.TRAVAUX)
    InsertionClauseFactory(market=works, hours_planned=Decimal(1000), start=START, end=END)
    work(ParticipantFactory(organisation=organisation, sex=Sex.F), works, {month(2025, 3): "100.00"})
    services = MarketFactory(
        organisation=organisation,
        market_type=MarketType.SERVICES,
        insertion_hours_planned=Decimal(730),
        execution_start=month(2025, 7),
        execution_end=datetime.date(2026, 6, 30),
    )
    MarketFactory(
        organisation=organisation,
        market_type=MarketType.FOURNITURES,
        insertion_hours_planned=Decimal(500),
        execution_start=None,
        execution_end=None,
    )
    MarketFactory(organisation=organisation, market_type=MarketType.FOURNITURES, insertion_hours_planned=None)

    result = compute_indicators(organisations=organisation, start=START, end=END).by_key()

    assert figures(result["markets_with_clause"]) == (2, None, 2)
    assert result["markets_with_clause_services"].value == 1
    assert result["markets_with_clause_supplies"].value == 0
    assert figures(result["hours_completion"]) == (Decimal("100.00"), 1368, Fraction(100, 1368))
    by_market = clause_indicators_by_market(organisations=organisation, start=START, end=END)
    services_figures = {indicator.key: indicator for indicator in by_market[services.pk]}
    assert figures(services_figures["hours_completion"]) == (Decimal("0.00"), 368, Fraction(0))
    by_buyer = clause_indicators_by_organisation(organisations=organisation, start=START, end=END)
    assert {indicator.key: indicator for indicator in by_buyer[organisation.pk]}["markets_with_clause"].value == 2


def test_hours_entered_by_hand_on_a_market_awaiting_its_clause_count_as_done(organisation):
    """A market with planned hours and execution dates has a clause (docs/indicateurs.md) until the hours import
    records it; hours entered by hand (clauses/services/participants.py) record none. Its planned hours were in
    `hours_completion`'s denominator and the hours done on it were not in its numerator: 0 % done."""
    from analytics.indicators.clauses import clause_indicators_by_market
    from clauses.services.participants import save_mission, set_month_hours

    works = MarketFactory(
        organisation=organisation,
        market_type=MarketType.TRAVAUX,
        insertion_hours_planned=Decimal(1000),
        execution_start=START,
        execution_end=END,
    )
    # Another market awaiting its clause, whose execution is over: its hours of 2025 are no clause's.
    over = MarketFactory(
        organisation=organisation,
        insertion_hours_planned=Decimal(300),
        execution_start=month(2024, 1),
        execution_end=datetime.date(2024, 12, 31),
    )
    participant = ParticipantFactory(organisation=organisation, sex=Sex.F)
    for market, hours in ((works, "151.67"), (over, "20.00")):
        mission = save_mission(
            participant=participant,
            mission=None,
            market=market,
            employer_siret="73282932000074",
            employer_name="",
            employer_kind="",
            contract_type="CDDI",
            job_label="Maçon",
            job_dominance="",
            start=None,
            end=None,
        )
        set_month_hours(mission=mission, month=month(2025, 3), hours=Decimal(hours))

    result = compute_indicators(organisations=organisation, start=START, end=END).by_key()

    assert figures(result["markets_with_clause"]) == (1, None, 1)
    assert figures(result["hours_total"]) == (Decimal("171.67"), None, Decimal("171.67"))
    assert figures(result["hours_completion"]) == (Decimal("151.67"), 1000, Fraction(15167, 100000))
    by_market = clause_indicators_by_market(organisations=organisation, start=START, end=END)
    works_figures = {indicator.key: indicator for indicator in by_market[works.pk]}
    assert figures(works_figures["hours_completion"]) == (Decimal("151.67"), 1000, Fraction(15167, 100000))
