"""Staff list of the annex responses: access, filters, search, pagination, statistics marker, query count."""

import datetime

import pytest
from django.urls import reverse

from procurement.enums import Role
from procurement.templatetags.french import sirene_number
from questionnaire.enums import ResponseSource
from tests.procurement.factories import MarketFactory, member
from tests.questionnaire.factories import AnnexResponseFactory, siret_with_luhn
from tests.utils import text_of

LIST_URL = reverse("responses:list")


def at(year: int, month: int = 6, day: int = 15, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, tzinfo=datetime.UTC)


def listed_names(page) -> list[str]:
    return [annex.structure_name for annex in page.context["responses"]]


@pytest.mark.parametrize("role", [Role.ADMIN, Role.BUYER, Role.EQUALITY_OFFICER])
def test_staff_roles_see_the_list(client_with_role, organisation, role):
    AnnexResponseFactory(organisation=organisation, structure_name="Bâtir Ensemble")
    client = client_with_role(role)

    page = client.get(LIST_URL)

    assert page.status_code == 200
    assert "Bâtir Ensemble" in text_of(page)


def test_facilitators_get_403(client_with_role):
    client = client_with_role(Role.FACILITATOR)

    assert client.get(LIST_URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    page = client.get(LIST_URL)

    assert page.status_code == 302
    assert page.url.startswith(reverse("login"))


def test_only_the_current_organisation_responses_are_listed(buyer_client, organisation, other_organisation):
    AnnexResponseFactory(organisation=organisation, structure_name="Chez nous")
    AnnexResponseFactory(organisation=other_organisation, structure_name="Chez les voisins")

    page = buyer_client.get(LIST_URL)

    assert listed_names(page) == ["Chez nous"]
    assert "Chez les voisins" not in text_of(page)


def test_the_row_shows_structure_siret_market_date_source_and_receipt(buyer_client, organisation):
    market = MarketFactory(organisation=organisation, reference="2025-SRV-042")
    annex = AnnexResponseFactory(
        organisation=organisation,
        structure_name="Nettoyage du Nord",
        market=market,
        source=ResponseSource.STAFF,
        submitted_at=at(2025, 3, 4),
    )

    text = text_of(buyer_client.get(LIST_URL))

    for expected in (
        "Nettoyage du Nord",
        sirene_number(annex.siret),
        "2025-SRV-042",
        "04/03/2025",
        annex.receipt_number,
    ):
        assert expected in text
    assert "Saisie par le personnel (fiche papier)" in text
    assert "1 réponse." in text


def test_empty_state(buyer_client):
    text = text_of(buyer_client.get(LIST_URL))

    assert "Aucune réponse pour l'instant" in text
    assert "Exporter en CSV" not in text


def test_filters_market_year_source_and_commitment(buyer_client, organisation):
    market = MarketFactory(organisation=organisation)
    AnnexResponseFactory(organisation=organisation, structure_name="Marché 2025", market=market)
    AnnexResponseFactory(organisation=organisation, structure_name="Sans marché 2024", submitted_at=at(2024))
    AnnexResponseFactory(organisation=organisation, structure_name="Importée", source=ResponseSource.IMPORT)
    AnnexResponseFactory(
        organisation=organisation, structure_name="Formations", commitment_training=True, submitted_at=at(2024)
    )

    assert listed_names(buyer_client.get(LIST_URL, {"market": market.pk})) == ["Marché 2025"]
    assert sorted(listed_names(buyer_client.get(LIST_URL, {"year": 2024}))) == ["Formations", "Sans marché 2024"]
    assert listed_names(buyer_client.get(LIST_URL, {"source": "import"})) == ["Importée"]
    assert listed_names(buyer_client.get(LIST_URL, {"commitment": "training"})) == ["Formations"]
    filtered = text_of(buyer_client.get(LIST_URL, {"commitment": "label"}))
    assert "Aucune réponse ne correspond à ces filtres." in filtered


def test_the_market_filter_offers_the_printable_blank_questionnaire(buyer_client, organisation):
    market = MarketFactory(organisation=organisation)
    AnnexResponseFactory(organisation=organisation, market=market)

    content = buyer_client.get(LIST_URL, {"market": market.pk}).content.decode()

    assert reverse("questionnaire:market_fiche_pdf", args=[market.pk]) in content
    assert reverse("questionnaire:market_fiche_docx", args=[market.pk]) in content


def test_another_organisations_market_in_the_filter_is_ignored(buyer_client, organisation, other_organisation):
    foreign = MarketFactory(organisation=other_organisation)
    AnnexResponseFactory(organisation=organisation, structure_name="Chez nous")

    page = buyer_client.get(LIST_URL, {"market": foreign.pk})

    assert listed_names(page) == ["Chez nous"]


def test_search_by_name_or_siret(buyer_client, organisation):
    siret = siret_with_luhn("8001234560")
    AnnexResponseFactory(organisation=organisation, structure_name="Les Jardins de l'Escaut", siret=siret)
    AnnexResponseFactory(organisation=organisation, structure_name="Bâtir Ensemble")

    assert listed_names(buyer_client.get(LIST_URL, {"q": "jardins"})) == ["Les Jardins de l'Escaut"]
    assert listed_names(buyer_client.get(LIST_URL, {"q": siret[:9]})) == ["Les Jardins de l'Escaut"]
    assert listed_names(buyer_client.get(LIST_URL, {"q": "800 123 456"})) == ["Les Jardins de l'Escaut"]


def test_the_latest_answer_of_the_year_is_marked_for_statistics(buyer_client, organisation):
    siret = siret_with_luhn("9001234560")
    first = AnnexResponseFactory(organisation=organisation, siret=siret, submitted_at=at(2025, 2))
    latest = AnnexResponseFactory(organisation=organisation, siret=siret, submitted_at=at(2025, 9))
    other_year = AnnexResponseFactory(organisation=organisation, siret=siret, submitted_at=at(2024, 9))
    single = AnnexResponseFactory(organisation=organisation)

    page = buyer_client.get(LIST_URL)

    rows = {annex.pk: annex for annex in page.context["responses"]}
    assert len(rows) == 4  # staff still see every submission
    assert (rows[first.pk].answered_again, rows[first.pk].superseded) == (True, True)
    assert (rows[latest.pk].answered_again, rows[latest.pk].superseded) == (True, False)
    assert (rows[other_year.pk].answered_again, rows[other_year.pk].superseded) == (False, False)
    assert (rows[single.pk].answered_again, rows[single.pk].superseded) == (False, False)
    text = text_of(page)
    assert text.count("Remplacée par une réponse plus récente") == 1
    assert text.count("Dernière réponse\u00a0: retenue pour les statistiques") == 1


def test_a_withdrawn_later_answer_does_not_replace_the_earlier_one(buyer_client, organisation):
    siret = siret_with_luhn("9101234560")
    first = AnnexResponseFactory(organisation=organisation, siret=siret, submitted_at=at(2025, 2))
    AnnexResponseFactory(organisation=organisation, siret=siret, submitted_at=at(2025, 9), withdrawn_at=at(2025, 10))

    rows = {annex.pk: annex for annex in buyer_client.get(LIST_URL).context["responses"]}

    assert rows[first.pk].superseded is False
    assert "Retirée" in text_of(buyer_client.get(LIST_URL))


def test_pagination(buyer_client, organisation):
    AnnexResponseFactory.create_batch(30, organisation=organisation)

    first = buyer_client.get(LIST_URL)
    second = buyer_client.get(LIST_URL, {"page": 2})

    assert len(first.context["responses"]) == 25
    assert len(second.context["responses"]) == 5
    assert "30 réponses." in text_of(first)
    assert 'class="fr-pagination' in first.content.decode()


def test_query_count_is_pinned_with_100_responses(buyer_client, organisation, django_assert_max_num_queries):
    markets = MarketFactory.create_batch(5, organisation=organisation)
    entered_by = member(organisation=organisation, role=Role.EQUALITY_OFFICER)
    for index in range(100):
        AnnexResponseFactory(
            organisation=organisation,
            market=markets[index % 5],
            entered_by=entered_by if index % 3 == 0 else None,
            source=ResponseSource.STAFF if index % 3 == 0 else ResponseSource.ONLINE,
            submitted_at=at(2024 + index % 3, 1 + index % 12),
        )

    # Session, user, membership, second factor, filter choices (markets, years), count, page, session save:
    # none per row.
    with django_assert_max_num_queries(11):
        page = buyer_client.get(LIST_URL)
    assert page.status_code == 200
    assert len(page.context["responses"]) == 25
    with django_assert_max_num_queries(11):
        buyer_client.get(LIST_URL, {"year": 2025, "commitment": "training", "q": "Entreprise"})
