"""`specifications_with_encart_share` on a hand-built dataset (docs/indicateurs.md, C)."""

import datetime
from fractions import Fraction

from analytics.indicators.specifications import specifications_with_encart_share
from procurement.specifications.services import stamp_specification
from tests.procurement.factories import MarketFactory, OrganisationFactory, validated_encart
from tests.procurement.specifications import documents

START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)


def stamp(market):
    validated_encart(organisation=market.organisation)
    stamp_specification(
        market=market, content=documents.minimal(), filename="c.docx", annex_url="https://e.example/a/", user=None
    )


def test_share_of_markets_published_in_the_period_with_a_stamped_document(organisation, other_organisation):
    # In the period: 4 markets of A (2 stamped, one of them twice), 1 of B (stamped).
    a1 = MarketFactory(organisation=organisation, published_on=datetime.date(2025, 1, 1))
    a2 = MarketFactory(organisation=organisation, published_on=datetime.date(2025, 12, 31))
    MarketFactory(organisation=organisation, published_on=datetime.date(2025, 6, 1))
    MarketFactory(organisation=organisation, published_on=datetime.date(2025, 7, 1))
    b1 = MarketFactory(organisation=other_organisation, published_on=datetime.date(2025, 3, 1))
    # Outside the period: stamped, must not count.
    before = MarketFactory(organisation=organisation, published_on=datetime.date(2024, 12, 31))
    after = MarketFactory(organisation=organisation, published_on=datetime.date(2026, 1, 1))
    for market in (a1, a1, a2, b1, before, after):
        stamp(market)

    only_a = specifications_with_encart_share(organisations=organisation, start=START, end=END)
    both = specifications_with_encart_share(organisations=[organisation, other_organisation], start=START, end=END)

    # A: markets a1 and a2 out of 4 -> 2/4; A and B: a1, a2, b1 out of 5 -> 3/5.
    assert (only_a.key, only_a.numerator, only_a.denominator, only_a.value) == (
        "specifications_with_encart_share",
        2,
        4,
        Fraction(1, 2),
    )
    assert (both.numerator, both.denominator, both.value) == (3, 5, Fraction(3, 5))


def test_no_market_in_the_period_gives_no_value(organisation):
    MarketFactory(organisation=organisation, published_on=datetime.date(2024, 5, 1))

    result = specifications_with_encart_share(organisations=organisation, start=START, end=END)

    assert (result.numerator, result.denominator, result.value) == (0, 0, None)


def test_one_sql_query(organisation, django_assert_num_queries):
    organisations = [organisation, OrganisationFactory()]
    for organisation_ in organisations:
        stamp(MarketFactory(organisation=organisation_, published_on=datetime.date(2025, 2, 1)))

    with django_assert_num_queries(1):
        result = specifications_with_encart_share(organisations=organisations, start=START, end=END)

    assert result.value == 1
