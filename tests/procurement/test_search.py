"""Searches ignore accents and case, on SQLite and on PostgreSQL (run the suite with DATABASE_URL for the latter)."""

import pytest

from clauses.selectors import participants
from procurement.models import Market
from procurement.search import fold, sort_key
from questionnaire.selectors import ResponseFilters, filtered_responses
from tests.clauses.factories import ParticipantFactory
from tests.procurement.factories import MarketFactory
from tests.questionnaire.factories import AnnexResponseFactory

pytestmark = pytest.mark.django_db


def test_fold_drops_accents_and_case():
    assert fold("Médiathèque ÉTÉ") == "mediatheque ete"


def test_french_order_puts_accented_initials_among_their_letter():
    jobs = ["Peintre", "Électricien·ne", "Agent·e d'entretien", "Maçon·ne"]

    assert sorted(jobs, key=sort_key) == ["Agent·e d'entretien", "Électricien·ne", "Maçon·ne", "Peintre"]


def test_market_search_ignores_accents_and_case(organisation):
    MarketFactory(organisation=organisation, reference="2026-MED-01", title="Construction de la Médiathèque")
    MarketFactory(organisation=organisation, reference="2026-BAT-02", title="Bâtiments Rénovation énergétique")
    MarketFactory(organisation=organisation, reference="2026-VOI-03", title="Voirie")
    markets = Market.objects.for_organisation(organisation)

    assert [m.reference for m in markets.search("mediatheque")] == ["2026-MED-01"]
    assert [m.reference for m in markets.search("batiments renovation")] == ["2026-BAT-02"]
    assert [m.reference for m in markets.search("RÉNOVATION bâtiments")] == ["2026-BAT-02"]
    assert [m.reference for m in markets.search("med-01")] == ["2026-MED-01"]
    assert list(markets.search("piscine")) == []


def test_response_search_ignores_accents_and_case(organisation):
    AnnexResponseFactory(organisation=organisation, structure_name="Société Générale de Bâtiment")
    AnnexResponseFactory(organisation=organisation, structure_name="Nettoyage du Nord")

    found = filtered_responses(organisation=organisation, filters=ResponseFilters(search="societe generale BATIMENT"))

    assert [response.structure_name for response in found] == ["Société Générale de Bâtiment"]


def test_participant_search_ignores_accents_and_case(organisation):
    ParticipantFactory(organisation=organisation, reference="Équipe-É12")
    ParticipantFactory(organisation=organisation, reference="P-2")

    found = participants(organisation=organisation, search="equipe-e12")

    assert [participant.reference for participant in found] == ["Équipe-É12"]
