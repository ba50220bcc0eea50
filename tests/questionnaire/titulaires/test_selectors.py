"""The year's titulaires (questionnaire.titulaires.selectors) on the hand-built DECP file."""

import datetime
from fractions import Fraction

import pytest

from procurement.awards.enums import HolderRole
from procurement.models import Market, MarketHolder
from questionnaire.titulaires.selectors import (
    TitulaireFilters,
    company_evolution,
    key_figures,
    known_contact_emails,
    subcontractors_of_year,
    titulaire_years,
    titulaires_of_year,
    unidentified_holders,
)
from tests.procurement.awards.factories import A, B, C, D, E, F
from tests.procurement.factories import OrganisationFactory
from tests.questionnaire.factories import AnnexResponseFactory

pytestmark = pytest.mark.django_db


def sirens(titulaires) -> set[str]:
    return {titulaire.siren for titulaire in titulaires}


def test_the_year_lists_each_titulaire_once_with_its_markets_and_who_answered(buyer, answer_of_a):
    titulaires = {one.siren: one for one in titulaires_of_year(organisation=buyer, year=2025)}

    # Groupement members (B, D) are titulaires; E, a declared subcontractor, is not.
    assert set(titulaires) == {A[0], B[0], C[0], D[0], F[0]}
    # A holds 2025-001 (with C since a modification); a modification replaced it by F on 2025-003: F's now.
    assert [market.reference for market in titulaires[A[0]].markets] == ["2025-001"]
    assert [market.reference for market in titulaires[F[0]].markets] == ["2025-003"]
    assert titulaires[A[0]].total_amount == 130000
    # D holds the groupement's 2025-002 and the second contract under the id 2025-001.
    assert len(titulaires[D[0]].markets) == 2
    assert titulaires[A[0]].answered and titulaires[A[0]].latest_answer == answer_of_a
    assert titulaires[A[0]].name == "Alpha Bâtiment"  # DECP 2.0 gives no name: the answer's
    assert [one.siren for one in titulaires.values() if not one.answered] == [B[0], C[0], D[0], F[0]]
    assert [holder.siren for holder in subcontractors_of_year(organisation=buyer, year=2025)] == [E[0]]
    assert unidentified_holders(organisation=buyer, year=2025) == 0
    assert titulaire_years(organisation=buyer) == [2025]
    assert titulaires_of_year(organisation=buyer, year=2024) == []


def test_the_filters(buyer, answer_of_a):
    def filtered(**kwargs):
        return sirens(titulaires_of_year(organisation=buyer, year=2025, filters=TitulaireFilters(**kwargs)))

    assert filtered(answered=True) == {A[0]}
    assert filtered(answered=False) == {B[0], C[0], D[0], F[0]}
    # 2025-003 (supplies: CPV 30000000) is the only one with « Critère social »; F holds it now.
    assert filtered(social_consideration="Critère social") == {F[0]}
    assert filtered(social_consideration="Clause sociale") == {A[0], C[0]}
    assert filtered(market_type="fournitures") == {F[0]}
    assert filtered(market_type="travaux", answered=True) == {A[0]}
    assert filtered(market_type="travaux", answered=False) == {C[0], D[0]}


def test_another_buyers_answers_and_markets_are_not_counted(buyer):
    other = OrganisationFactory()
    AnnexResponseFactory(organisation=other, siret=B[1])

    titulaires = titulaires_of_year(organisation=buyer, year=2025)

    assert not any(titulaire.answered for titulaire in titulaires)
    assert titulaires_of_year(organisation=other, year=2025) == []


def test_an_answer_up_to_twelve_months_before_the_year_counts(buyer):
    AnnexResponseFactory(
        organisation=buyer, siret=C[1], submitted_at=datetime.datetime(2024, 2, 1, 12, tzinfo=datetime.UTC)
    )
    AnnexResponseFactory(
        organisation=buyer, siret=F[1], submitted_at=datetime.datetime(2023, 12, 1, 12, tzinfo=datetime.UTC)
    )

    answered = {one.siren for one in titulaires_of_year(organisation=buyer, year=2025) if one.answered}

    assert answered == {C[0]}


def test_a_holder_without_a_valid_siret_is_left_out_and_counted_apart(buyer):
    market = Market.objects.get(organisation=buyer, reference="2025-003")
    MarketHolder.objects.create(
        market=market, role=HolderRole.GROUPEMENT_MEMBER, identifier="DE123456789", identifier_type="TVA"
    )
    MarketHolder.objects.create(
        market=market, role=HolderRole.GROUPEMENT_MEMBER, identifier="12345678900000", siret="12345678900000"
    )

    assert sirens(titulaires_of_year(organisation=buyer, year=2025)) == {A[0], B[0], C[0], D[0], F[0]}
    assert unidentified_holders(organisation=buyer, year=2025) == 2


def test_key_figures_and_evolution(buyer, answer_of_a):
    later = AnnexResponseFactory(
        organisation=buyer,
        siret=A[1],
        submitted_at=datetime.datetime(2026, 3, 1, 10, tzinfo=datetime.UTC),
        cadres=(0, 0, 0, 0),
        non_cadres=(5, 5, 0, 0),
        has_board=False,
        equality_index_status="score",
        equality_index_score=88,
    )
    figures = key_figures(answer_of_a)
    assert (figures.staff_total, figures.women_share, figures.women_cadres_share) == (
        20,
        Fraction(9, 20),
        Fraction(3, 4),
    )
    assert figures.women_pct == 45 and figures.board_women_pct == 40

    charts = company_evolution([(answer_of_a, figures), (later, key_figures(later))])

    shares, index = charts
    assert shares.categories == ["02/04/2025", "01/03/2026"]
    assert dict(shares.series) == {
        "Effectif": [Fraction(9, 20), Fraction(1, 2)],
        "Cadres": [Fraction(3, 4), None],  # no cadres: no share
        "Conseil d'administration": [Fraction(2, 5), None],
    }
    assert index.series == [("Note", [None, 88])]


def test_a_withdrawn_answer_gives_no_address_for_reminders(buyer):
    withdrawn = datetime.datetime(2025, 2, 6, tzinfo=datetime.UTC)
    for siret, email, submitted_on, withdrawn_at in (
        (B[1], "ancienne@beta.example", datetime.datetime(2025, 1, 5, tzinfo=datetime.UTC), None),
        (B[1], "retiree@beta.example", datetime.datetime(2025, 2, 5, tzinfo=datetime.UTC), withdrawn),
        (D[1], "retiree@delta.example", datetime.datetime(2025, 2, 5, tzinfo=datetime.UTC), withdrawn),
    ):
        AnnexResponseFactory(
            organisation=buyer, siret=siret, contact_email=email, submitted_at=submitted_on, withdrawn_at=withdrawn_at
        )

    assert known_contact_emails(organisation=buyer, sirens=[B[0], D[0]]) == {B[0]: "ancienne@beta.example"}
