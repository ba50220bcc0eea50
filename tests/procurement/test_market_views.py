"""Market pages: list, create, edit, detail (candidate link, QR code), lots, and who may do what."""

import datetime
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from procurement.enums import MarketType, Role
from procurement.models import Lot, Market
from tests.clauses.factories import InsertionClauseFactory
from tests.procurement.factories import LotFactory, MarketFactory
from tests.questionnaire.factories import AnnexResponseFactory
from tests.utils import text_of

LIST_URL = reverse("procurement:market_list")
CREATE_URL = reverse("procurement:market_create")
IMPORT_URL = reverse("procurement:market_import")
READ_ONLY_ROLES = [Role.EQUALITY_OFFICER, Role.FACILITATOR]


def listed_references(response) -> list[str]:
    return [market.reference for market in response.context["markets"]]


# --- List ----------------------------------------------------------------------------------------------------


def test_list_searches_reference_and_title(buyer_client, organisation):
    MarketFactory(organisation=organisation, reference="2025-VOI-001", title="Requalification de la voirie")
    MarketFactory(organisation=organisation, reference="2025-NET-002", title="Nettoyage des locaux")
    MarketFactory(organisation=organisation, reference="2025-ESP-003", title="Espaces verts, voirie comprise")

    by_title = buyer_client.get(LIST_URL, {"q": "VOIRIE"})
    by_reference = buyer_client.get(LIST_URL, {"q": "net-002"})

    assert sorted(listed_references(by_title)) == ["2025-ESP-003", "2025-VOI-001"]
    assert listed_references(by_reference) == ["2025-NET-002"]
    assert "1 marché correspondant aux filtres." in text_of(by_reference)
    # A present participle with its complement: invariable, « 2 marchés correspondant aux filtres ».
    assert "2 marchés correspondant aux filtres." in text_of(by_title)


def test_list_filters_by_type_year_and_clause(buyer_client, organisation):
    MarketFactory(
        organisation=organisation,
        reference="W-2024",
        market_type=MarketType.TRAVAUX,
        published_on=datetime.date(2024, 5, 2),
        insertion_hours_planned=Decimal(800),
    )
    MarketFactory(
        organisation=organisation,
        reference="S-2025",
        market_type=MarketType.SERVICES,
        published_on=datetime.date(2025, 1, 10),
        insertion_hours_planned=Decimal(350),
    )
    MarketFactory(
        organisation=organisation,
        reference="F-2025",
        market_type=MarketType.FOURNITURES,
        published_on=datetime.date(2025, 6, 1),
        insertion_hours_planned=None,
    )

    assert listed_references(buyer_client.get(LIST_URL, {"market_type": "travaux"})) == ["W-2024"]
    assert listed_references(buyer_client.get(LIST_URL, {"year": "2025"})) == ["F-2025", "S-2025"]
    assert listed_references(buyer_client.get(LIST_URL, {"clause": "oui"})) == ["S-2025", "W-2024"]
    assert listed_references(buyer_client.get(LIST_URL, {"clause": "non"})) == ["F-2025"]
    assert listed_references(buyer_client.get(LIST_URL, {"year": "2025", "clause": "oui"})) == ["S-2025"]


def test_list_offers_only_the_years_that_have_markets(buyer_client, organisation):
    MarketFactory(organisation=organisation, published_on=datetime.date(2023, 5, 2))
    MarketFactory(organisation=organisation, published_on=datetime.date(2025, 5, 2))

    response = buyer_client.get(LIST_URL)

    choices = [value for value, _ in response.context["filter_form"].fields["year"].choices]
    assert choices == ["", 2025, 2023]


def test_list_ignores_a_year_it_does_not_offer(buyer_client, organisation):
    MarketFactory(organisation=organisation, reference="M-2025", published_on=datetime.date(2025, 5, 2))

    response = buyer_client.get(LIST_URL, {"year": "1999"})

    assert response.status_code == 200
    assert listed_references(response) == ["M-2025"]


def test_list_paginates_25_markets_on_2_pages(buyer_client, organisation):
    MarketFactory.create_batch(25, organisation=organisation)

    first = buyer_client.get(LIST_URL)
    second = buyer_client.get(LIST_URL, {"page": 2})

    assert settings.MARKETS_PER_PAGE == 20
    assert first.context["paginator"].num_pages == 2
    assert len(first.context["markets"]) == 20
    assert len(second.context["markets"]) == 5
    assert set(listed_references(first)).isdisjoint(listed_references(second))
    assert "25 marchés." in text_of(first)
    assert "?page=2" in text_of(first)


def test_list_keeps_the_filters_in_the_pagination_links(buyer_client, organisation):
    MarketFactory.create_batch(22, organisation=organisation, market_type=MarketType.TRAVAUX)

    response = buyer_client.get(LIST_URL, {"market_type": "travaux"})

    assert "market_type=travaux&page=2" in text_of(response)


def test_list_empty_state(buyer_client):
    response = buyer_client.get(LIST_URL)

    page = text_of(response)
    assert "Aucun marché pour l'instant" in page
    assert "Aucun marché ne correspond à ces filtres." not in page


def test_list_no_result_state(buyer_client, organisation):
    MarketFactory(organisation=organisation, title="Nettoyage")

    response = buyer_client.get(LIST_URL, {"q": "piscine"})

    page = text_of(response)
    assert "Aucun marché ne correspond à ces filtres." in page
    assert "Effacer les filtres" in page
    assert "Aucun marché pour l'instant" not in page


def test_list_query_count_does_not_grow_with_markets(buyer_client, organisation, django_assert_max_num_queries):
    for index in range(30):
        market = MarketFactory(organisation=organisation, with_clause=index % 2 == 0)
        LotFactory(market=market)

    # Session, user, memberships, second-factor device, years, count, one page of markets; the session save
    # (savepoint, update, release).
    with django_assert_max_num_queries(10):
        response = buyer_client.get(LIST_URL)

    assert len(response.context["markets"]) == settings.MARKETS_PER_PAGE


@pytest.mark.parametrize("role", Role.values)
def test_every_role_sees_the_list(client_with_role, organisation, role):
    MarketFactory(organisation=organisation, reference="2025-VISIBLE")

    response = client_with_role(role).get(LIST_URL)

    assert response.status_code == 200
    assert "2025-VISIBLE" in text_of(response)


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_are_not_offered_to_create_or_import(client_with_role, role):
    page = text_of(client_with_role(role).get(LIST_URL))

    assert "Nouveau marché" not in page
    assert "Importer un fichier" not in page


def test_editors_are_offered_to_create_and_import(buyer_client):
    page = text_of(buyer_client.get(LIST_URL))

    assert CREATE_URL in page
    assert IMPORT_URL in page


# --- Create and edit -----------------------------------------------------------------------------------------


def market_data(**overrides) -> dict:
    data = {
        "reference": "2026-TRX-014",
        "title": "Rénovation énergétique d'un groupe scolaire",
        "market_type": "travaux",
        "published_on": "2026-03-15",
        "execution_start": "2026-06-01",
        "execution_end": "2027-05-31",
        "has_base_vie": "on",
        "insertion_hours_planned": "1200,5",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_create_a_market(buyer_client, organisation):
    response = buyer_client.post(CREATE_URL, market_data(insertion_hours_planned="1200.5"))

    market = Market.objects.get(organisation=organisation, reference="2026-TRX-014")
    assert response.status_code == 302
    assert response.url == reverse("procurement:market_detail", kwargs={"pk": market.pk})
    assert market.title == "Rénovation énergétique d'un groupe scolaire"
    assert market.published_on == datetime.date(2026, 3, 15)
    assert market.has_base_vie is True
    assert market.insertion_hours_planned == Decimal("1200.5")
    assert "Le marché 2026-TRX-014 a été créé." in text_of(buyer_client.get(response.url))


def test_create_accepts_french_dates_and_decimal_comma(buyer_client, organisation):
    response = buyer_client.post(CREATE_URL, market_data(published_on="15/03/2026", insertion_hours_planned="12,5"))

    assert response.status_code == 302
    market = Market.objects.get(organisation=organisation)
    assert market.published_on == datetime.date(2026, 3, 15)
    assert market.insertion_hours_planned == Decimal("12.5")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Indiquez l'objet du marché."),
        ({"reference": "   "}, "Indiquez la référence du marché."),
        ({"market_type": ""}, "Choisissez le type de marché."),
        ({"published_on": "bientôt"}, "Indiquez une date valide, par exemple 15/03/2026."),
        (
            {"execution_start": "2026-06-01", "execution_end": "2026-05-31"},
            "La fin d'exécution doit être postérieure au début d'exécution.",
        ),
        ({"insertion_hours_planned": "-5"}, "Le nombre d'heures d'insertion prévues doit être positif."),
        ({"insertion_hours_planned": "12,125"}, "Indiquez au plus 2 décimales."),
    ],
    ids=["no-title", "blank-reference", "no-type", "bad-date", "end-before-start", "negative-hours", "3-decimals"],
)
def test_create_with_a_bad_value_keeps_what_was_typed(buyer_client, overrides, message):
    data = market_data(**overrides)

    response = buyer_client.post(CREATE_URL, data)

    page = text_of(response)
    assert response.status_code == 200
    assert message in page
    assert "Le formulaire contient des erreurs\u00a0: corrigez les champs signalés." in page
    form = response.context["form"]
    for name, value in data.items():
        if name != "has_base_vie" and value.strip():
            assert form[name].value() == value
    if data.get("title"):
        assert f'value="{data["title"]}"' in page
    assert not Market.objects.exists()


def test_create_refuses_a_reference_already_used_in_the_organisation(buyer_client, organisation):
    MarketFactory(organisation=organisation, reference="2026-TRX-014")

    response = buyer_client.post(CREATE_URL, market_data(reference=" 2026-TRX-014 "))

    assert "Un autre marché de votre organisation porte déjà cette référence." in text_of(response)
    assert Market.objects.filter(organisation=organisation).count() == 1


def test_create_allows_a_reference_used_by_another_organisation(buyer_client, organisation, other_organisation):
    MarketFactory(organisation=other_organisation, reference="2026-TRX-014")

    response = buyer_client.post(CREATE_URL, market_data())

    assert response.status_code == 302
    assert Market.objects.filter(reference="2026-TRX-014").count() == 2
    assert Market.objects.filter(organisation=organisation, reference="2026-TRX-014").exists()


def test_create_ignores_an_organisation_sent_in_the_form(buyer_client, organisation, other_organisation):
    buyer_client.post(CREATE_URL, {**market_data(), "organisation": other_organisation.pk})

    assert Market.objects.get(reference="2026-TRX-014").organisation == organisation


def test_edit_a_market(buyer_client, market):
    url = reverse("procurement:market_update", kwargs={"pk": market.pk})
    page = text_of(buyer_client.get(url))
    assert f'value="{market.reference}"' in page
    token = market.candidate_token

    response = buyer_client.post(url, market_data(reference=market.reference, title="Entretien des parcs"))

    assert response.status_code == 302
    market.refresh_from_db()
    assert market.title == "Entretien des parcs"
    assert market.candidate_token == token
    assert "a été modifié." in text_of(buyer_client.get(response.url))


def test_edit_keeps_its_own_reference_but_refuses_a_sibling_one(buyer_client, organisation, market):
    MarketFactory(organisation=organisation, reference="2026-AUTRE")
    url = reverse("procurement:market_update", kwargs={"pk": market.pk})

    response = buyer_client.post(url, market_data(reference="2026-AUTRE"))

    assert "Un autre marché de votre organisation porte déjà cette référence." in text_of(response)
    market.refresh_from_db()
    assert market.reference != "2026-AUTRE"


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_view_but_cannot_create_edit_or_import(client_with_role, market, role):
    client = client_with_role(role)
    detail = reverse("procurement:market_detail", kwargs={"pk": market.pk})
    update = reverse("procurement:market_update", kwargs={"pk": market.pk})

    assert client.get(detail).status_code == 200
    assert "Modifier" not in text_of(client.get(detail))
    assert client.get(CREATE_URL).status_code == 403
    assert client.post(CREATE_URL, market_data()).status_code == 403
    assert client.get(update).status_code == 403
    assert client.post(update, market_data(title="Changé")).status_code == 403
    assert client.get(IMPORT_URL).status_code == 403
    assert "Votre rôle ne donne pas accès à cette page." in text_of(client.get(CREATE_URL))
    market.refresh_from_db()
    assert market.title != "Changé"
    assert Market.objects.count() == 1


@pytest.mark.parametrize("role", [Role.ADMIN, Role.BUYER])
def test_editor_roles_reach_create_and_import(client_with_role, role):
    client = client_with_role(role)

    assert client.get(CREATE_URL).status_code == 200
    assert client.get(IMPORT_URL).status_code == 200


# --- Detail, candidate link and QR code ----------------------------------------------------------------------


def test_detail_shows_the_absolute_candidate_link(buyer_client, market):
    response = buyer_client.get(reverse("procurement:market_detail", kwargs={"pk": market.pk}))

    page = text_of(response)
    link = f"http://testserver/annexe/{market.candidate_token}/"
    assert (
        link == f"http://testserver{reverse('questionnaire:market_entry', kwargs={'token': market.candidate_token})}"
    )
    assert f'href="{link}"' in page
    assert "Répondre est facultatif et sans effet sur la recevabilité de la candidature." in page
    assert reverse("procurement:market_qrcode", kwargs={"pk": market.pk}) in page


def test_candidate_tokens_are_long_and_distinct(organisation):
    tokens = {MarketFactory(organisation=organisation).candidate_token for _ in range(5)}

    assert len(tokens) == 5
    assert all(len(token) >= 32 for token in tokens)


def test_qr_code_is_a_standalone_svg(buyer_client, market):
    response = buyer_client.get(reverse("procurement:market_qrcode", kwargs={"pk": market.pk}))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    body = response.content.decode()
    first_element = re.search(r"<(?!\?)[^>]*>", body).group(0)
    assert first_element.startswith("<svg ")
    assert 'xmlns="http://www.w3.org/2000/svg"' in first_element
    root = ET.fromstring(response.content)  # noqa: S314 (our own response)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.find("{http://www.w3.org/2000/svg}title").text == (
        f"Lien de l'annexe égalité du marché {market.reference}"
    )


def test_qr_code_stays_valid_xml_with_special_characters_in_the_reference(buyer_client, organisation):
    market = MarketFactory(organisation=organisation, reference="A&B <2026>")

    response = buyer_client.get(reverse("procurement:market_qrcode", kwargs={"pk": market.pk}))

    assert ET.fromstring(response.content).tag == "{http://www.w3.org/2000/svg}svg"  # noqa: S314


@pytest.mark.parametrize("role", Role.values)
def test_every_role_sees_the_detail_and_the_qr_code(client_with_role, market, role):
    client = client_with_role(role)

    assert client.get(reverse("procurement:market_detail", kwargs={"pk": market.pk})).status_code == 200
    assert client.get(reverse("procurement:market_qrcode", kwargs={"pk": market.pk})).status_code == 200


def test_detail_of_an_unknown_market_is_404(buyer_client):
    assert buyer_client.get(reverse("procurement:market_detail", kwargs={"pk": 999999})).status_code == 404


# --- Lots ----------------------------------------------------------------------------------------------------


def detail_url(market) -> str:
    return reverse("procurement:market_detail", kwargs={"pk": market.pk})


def test_add_a_lot(buyer_client, market):
    response = buyer_client.post(detail_url(market), {"number": "2", "title": "Plomberie"})

    assert response.status_code == 302
    assert [(lot.number, lot.title) for lot in market.lots.all()] == [(2, "Plomberie")]
    page = text_of(buyer_client.get(detail_url(market)))
    assert "Le lot 2 a été ajouté." in page
    assert "Lot 2 — Plomberie" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"number": "0", "title": "Plomberie"}, "Le numéro de lot commence à 1."),
        ({"number": "", "title": "Plomberie"}, "Indiquez le numéro du lot."),
        ({"number": "deux", "title": "Plomberie"}, "Indiquez le numéro du lot en chiffres, par exemple 2."),
        ({"number": "3", "title": ""}, "Indiquez l'intitulé du lot."),
    ],
    ids=["zero", "missing", "not-a-number", "no-title"],
)
def test_add_a_bad_lot_keeps_what_was_typed(buyer_client, market, data, message):
    response = buyer_client.post(detail_url(market), data)

    page = text_of(response)
    assert response.status_code == 400
    assert message in page
    for value in data.values():
        if value:
            assert f'value="{value}"' in page
    assert not market.lots.exists()


def test_add_a_lot_with_a_number_already_used_is_refused(buyer_client, market):
    LotFactory(market=market, number=1, title="Gros œuvre")

    response = buyer_client.post(detail_url(market), {"number": "1", "title": "Second œuvre"})

    assert response.status_code == 400
    assert "Ce marché a déjà un lot portant ce numéro." in text_of(response)
    assert [lot.title for lot in market.lots.all()] == ["Gros œuvre"]


def test_the_same_lot_number_in_another_market_is_allowed(buyer_client, organisation, market):
    LotFactory(market=MarketFactory(organisation=organisation), number=1)

    response = buyer_client.post(detail_url(market), {"number": "1", "title": "Lot unique"})

    assert response.status_code == 302
    assert market.lots.get().number == 1


def test_delete_a_lot(buyer_client, market):
    kept = LotFactory(market=market, number=1)
    deleted = LotFactory(market=market, number=2)

    response = buyer_client.post(reverse("procurement:lot_delete", kwargs={"pk": market.pk, "lot_pk": deleted.pk}))

    assert response.status_code == 302
    assert list(market.lots.all()) == [kept]
    assert "Le lot 2 a été supprimé." in text_of(buyer_client.get(response.url))


def test_deleting_a_lot_asks_first_and_says_what_goes_with_it(buyer_client, organisation, market):
    # The market page's « Supprimer » deleted the lot at once, with the insertion clauses of the lot (cascade).
    lot = LotFactory(market=market, number=2, title="Plomberie")
    InsertionClauseFactory(market=market, lot=lot)
    AnnexResponseFactory.create_batch(2, organisation=organisation, market=market, lot=lot)
    url = reverse("procurement:lot_delete", kwargs={"pk": market.pk, "lot_pk": lot.pk})

    page = text_of(buyer_client.get(url))

    assert f'href="{url}"' in buyer_client.get(detail_url(market)).content.decode()
    assert "Supprimer le lot 2 du marché" in page
    assert "Clauses d'insertion\u00a0: 1" in page
    assert "Réponses à l'annexe égalité\u00a0: 2" in page
    assert Lot.objects.filter(pk=lot.pk).exists()


def test_a_lot_with_nothing_attached_says_so_before_deletion(buyer_client, market):
    lot = LotFactory(market=market, number=1)

    page = text_of(buyer_client.get(reverse("procurement:lot_delete", kwargs={"pk": market.pk, "lot_pk": lot.pk})))

    assert "Rien d'autre n'est rattaché à ce lot." in page


def test_a_lot_of_another_market_cannot_be_deleted_through_this_one(buyer_client, organisation, market):
    other_lot = LotFactory(market=MarketFactory(organisation=organisation))

    response = buyer_client.post(reverse("procurement:lot_delete", kwargs={"pk": market.pk, "lot_pk": other_lot.pk}))

    assert response.status_code == 404
    assert Lot.objects.filter(pk=other_lot.pk).exists()


@pytest.mark.parametrize("role", READ_ONLY_ROLES)
def test_read_only_roles_cannot_add_or_delete_lots(client_with_role, market, role):
    lot = LotFactory(market=market, number=1)
    client = client_with_role(role)

    assert "Ajouter un lot" not in text_of(client.get(detail_url(market)))
    assert client.post(detail_url(market), {"number": "2", "title": "Plomberie"}).status_code == 403
    delete = reverse("procurement:lot_delete", kwargs={"pk": market.pk, "lot_pk": lot.pk})
    assert client.post(delete).status_code == 403
    assert list(market.lots.all()) == [lot]


# --- The public candidate page -------------------------------------------------------------------------------


def test_candidate_page_opens_without_login(client, market):
    response = client.get(reverse("questionnaire:market_entry", kwargs={"token": market.candidate_token}))

    page = text_of(response)
    assert response.status_code == 200
    assert market.reference in page
    assert market.organisation.name in page
    assert "Répondre est facultatif" in page
    assert "ne conditionneront pas la recevabilité de la candidature" in page


def test_candidate_page_with_an_unknown_token_is_404(client, market):
    response = client.get(reverse("questionnaire:market_entry", kwargs={"token": "jeton-inconnu"}))

    assert response.status_code == 404


def test_candidate_page_with_a_market_id_instead_of_the_token_is_404(client, market):
    response = client.get(reverse("questionnaire:market_entry", kwargs={"token": str(market.pk)}))

    assert response.status_code == 404
