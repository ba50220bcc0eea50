"""Demo data of the annex: three years of responses for the demo buyer, shares close to the seed report."""

from collections import Counter
from fractions import Fraction

import pytest

from procurement import demo as procurement_demo
from procurement.models import Organisation
from questionnaire import demo
from questionnaire.enums import Commitment, OfficerGender, ResponseSource
from questionnaire.models import AnnexResponse, Draft


@pytest.fixture
def demo_buyer():
    procurement_demo.seed()
    return Organisation.objects.get(slug=procurement_demo.DEMO_SLUG)


def latest_per_structure(responses) -> list[AnnexResponse]:
    latest = {}
    for response in sorted(responses, key=lambda response: response.submitted_at):
        latest[response.structure_key] = response
    return list(latest.values())


def test_seed_is_idempotent_and_deterministic(demo_buyer):
    created = demo.seed(organisation=demo_buyer)
    first = list(
        AnnexResponse.objects.order_by("structure_key", "submitted_at").values_list(
            "structure_key", "submitted_at", "staff_total", "president", "commitment_training"
        )
    )
    drafts = Draft.objects.filter(organisation=demo_buyer).count()

    assert created == len(first) > 0
    assert demo.seed(organisation=demo_buyer) == 0
    assert AnnexResponse.objects.count() == len(first)
    assert Draft.objects.filter(organisation=demo_buyer).count() == drafts == demo.DRAFT_COUNT

    AnnexResponse.objects.all().delete()
    demo.seed(organisation=demo_buyer)
    again = list(
        AnnexResponse.objects.order_by("structure_key", "submitted_at").values_list(
            "structure_key", "submitted_at", "staff_total", "president", "commitment_training"
        )
    )
    assert again == first


def test_three_years_of_responses_with_realistic_shares(demo_buyer):
    demo.seed(organisation=demo_buyer)
    responses = list(AnnexResponse.objects.filter(organisation=demo_buyer).select_related("market"))

    by_year = Counter(response.submitted_on.year for response in responses)
    assert set(by_year) == {2024, 2025, 2026}
    assert all(40 <= count <= 60 for count in by_year.values()), by_year

    for year in demo.YEARS:
        counted = latest_per_structure(response for response in responses if response.submitted_on.year == year)
        staff = sum(response.staff_total for response in counted)
        women = sum(response.cadres_f + response.non_cadres_f for response in counted)
        assert Fraction(33, 100) <= Fraction(women, staff) <= Fraction(40, 100), (year, women, staff)
        presidents = [r.president for r in counted if r.president and r.president != OfficerGender.NOT_APPLICABLE]
        women_presidents = Fraction(presidents.count(OfficerGender.F), len(presidents))
        assert Fraction(10, 100) <= women_presidents <= Fraction(22, 100), (year, women_presidents)
        without_commitment = [
            r for r in counted if not any(getattr(r, f"commitment_{key}") for key in Commitment.values)
        ]
        assert Fraction(33, 100) <= Fraction(len(without_commitment), len(counted)) <= Fraction(50, 100)

    assert any(response.cadres_nb + response.non_cadres_nb for response in responses)
    assert any(response.cadres_nsp + response.non_cadres_nsp for response in responses)
    assert any(response.has_board for response in responses)
    # An index score only from 50 employees, and most of those give one.
    scored = [response for response in responses if response.equality_index_score is not None]
    assert scored and all(response.staff_total >= 50 for response in scored)
    # Commitments answered « oui » carry a detail, as the online form demands.
    for response in responses:
        for commitment, answered, detail in response.commitments():
            assert bool(detail) == answered, (response, commitment)


def test_some_answer_twice_some_were_typed_by_staff_or_imported(demo_buyer):
    demo.seed(organisation=demo_buyer)
    responses = AnnexResponse.objects.filter(organisation=demo_buyer)

    per_structure_year = Counter((response.structure_key, response.submitted_on.year) for response in responses)
    assert any(count == 2 for count in per_structure_year.values())
    sources = Counter(responses.values_list("source", flat=True))
    assert sources[ResponseSource.STAFF] >= 3
    assert sources[ResponseSource.IMPORT] >= 3
    assert sources[ResponseSource.ONLINE] > sources[ResponseSource.STAFF] + sources[ResponseSource.IMPORT]
    assert all(response.entered_by is not None for response in responses.filter(source=ResponseSource.STAFF))
    # A response to a market came after the market was published.
    for response in responses.exclude(market=None).select_related("market"):
        assert response.market.organisation_id == demo_buyer.pk
        assert response.market.published_on < response.submitted_on
    assert Draft.objects.filter(organisation=demo_buyer, submitted_at__isnull=True).count() == demo.DRAFT_COUNT
