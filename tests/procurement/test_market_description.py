"""Markets as buyers describe them: bid deadline, procedure, estimated amount, CPV code (checked, labelled), lots'
deadlines; the form, the import, the market page (annex link state, reopening, link to the insertion clause)."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clauses.models import InsertionClause
from procurement import cpv
from procurement.enums import Procedure, Role
from procurement.models import Lot, Market
from procurement.selectors import market_is_open
from procurement.services.market_import import import_markets
from procurement.tabular import ImportRejected
from tests.procurement.factories import MarketFactory
from tests.utils import text_of

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
CREATE_URL = reverse("procurement:market_create")

# --- CPV codes -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    ["45000000-7", "71000000-8", "79000000-4", "90911200-8", "51000000-9", "45210000-2", "03000000-1", "98000000-3"],
)
def test_published_cpv_codes_are_accepted(code):
    cpv.validate_cpv(code)


@pytest.mark.parametrize(
    ("code", "published"),
    [("45000000-3", "45000000-7"), ("71000000-1", "71000000-8"), ("90911200-5", "90911200-8")],
)
def test_a_wrong_check_digit_of_a_known_code_is_refused_with_the_right_one(code, published):
    with pytest.raises(ValidationError) as caught:
        cpv.validate_cpv(code)
    assert published in caught.value.messages[0]


@pytest.mark.parametrize("code", ["4500000-7", "45000000", "45000000-", "450000007", "ABCDEFGH-1", "45000000-77"])
def test_a_code_not_written_nnnnnnnn_n_is_refused(code):
    with pytest.raises(ValidationError, match="8 chiffres, un tiret et un chiffre de contrôle"):
        cpv.validate_cpv(code)


def test_a_division_that_does_not_exist_is_refused():
    with pytest.raises(ValidationError, match="La division 47 n'existe pas"):
        cpv.validate_cpv("47000000-1")


def test_the_reference_holds_the_45_divisions():
    assert len(cpv.DIVISIONS) == 45
    assert {"03", "45", "71", "79", "90", "98"} <= cpv.DIVISIONS


def test_the_closest_known_code_labels_a_finer_code():
    assert cpv.closest_label("45211000-9") == ("45210000-2", "Travaux de construction de bâtiments")
    assert cpv.closest_label("45300000-0") == ("45000000-7", "Travaux de construction")
    assert cpv.closest_label("90911200-8") == ("90911200-8", "Services de nettoyage de bâtiments")
    assert cpv.closest_label("47000000-1") is None


def test_codes_copied_with_spaces_are_normalised():
    assert cpv.normalise_cpv(" 45 000 000-7 ") == "45000000-7"
    assert cpv.normalise_cpv("450000007") == "45000000-7"


# --- The rule of the annex link -----------------------------------------------------------------------------------


def test_the_link_is_open_without_deadline_and_until_it(market):
    now = timezone.now()
    assert market_is_open(market=market, now=now)
    market.bid_deadline = now
    assert market_is_open(market=market, now=now - datetime.timedelta(seconds=1))
    assert not market_is_open(market=market, now=now)


def test_a_reopened_link_stays_open_until_a_later_deadline_is_set(market):
    deadline = timezone.now() - datetime.timedelta(days=2)
    market.bid_deadline = deadline
    market.annex_reopened_at = deadline + datetime.timedelta(days=1)
    assert market_is_open(market=market, now=timezone.now() + datetime.timedelta(days=365))

    market.bid_deadline = deadline + datetime.timedelta(days=3)
    assert market_is_open(market=market, now=deadline + datetime.timedelta(days=2))
    assert not market_is_open(market=market, now=deadline + datetime.timedelta(days=4))


def test_the_sql_rule_of_open_links_agrees_with_the_one_of_a_market(organisation):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    cases = {
        "sans date limite": {},
        "avant la date limite": {"bid_deadline": now + day},
        "à la date limite": {"bid_deadline": now},
        "après la date limite": {"bid_deadline": now - day},
        "rouvert après la date limite": {"bid_deadline": now - 2 * day, "annex_reopened_at": now - day},
        "rouvert avant une nouvelle date passée": {"bid_deadline": now - day, "annex_reopened_at": now - 2 * day},
    }
    markets = {
        name: MarketFactory(organisation=organisation, reference=f"OUV-{index}", **fields)
        for index, (name, fields) in enumerate(cases.items())
    }

    taking = set(Market.objects.taking_answers(now))

    assert {name for name, market in markets.items() if market in taking} == {
        name for name, market in markets.items() if market_is_open(market=market, now=now)
    }
    assert len(taking) == 3


# --- The form ----------------------------------------------------------------------------------------------------


def form_data(**values) -> dict:
    return {
        "reference": "2026-TRX-020",
        "title": "Réhabilitation du gymnase",
        "market_type": "travaux",
        "published_on": "2026-03-02",
        **values,
    }


def test_the_form_takes_deadline_procedure_amount_and_cpv(buyer_client, organisation):
    response = buyer_client.post(
        CREATE_URL,
        form_data(
            bid_deadline="2026-04-15T12:00",
            procedure=Procedure.OPEN,
            estimated_amount="1 250 000,50",
            cpv_code="45 210000-2",
        ),
    )

    assert response.status_code == 302
    market = Market.objects.get(organisation=organisation, reference="2026-TRX-020")
    assert market.bid_deadline == datetime.datetime(2026, 4, 15, 12, 0, tzinfo=PARIS)
    assert market.procedure == Procedure.OPEN
    assert market.estimated_amount == Decimal("1250000.50")
    assert market.cpv_code == "45210000-2"


def test_the_new_fields_stay_optional(buyer_client, organisation):
    response = buyer_client.post(CREATE_URL, form_data())

    assert response.status_code == 302
    market = Market.objects.get(organisation=organisation, reference="2026-TRX-020")
    assert (market.bid_deadline, market.procedure, market.estimated_amount, market.cpv_code) == (None, "", None, "")


def test_the_form_explains_bad_values_in_french(buyer_client):
    response = buyer_client.post(
        CREATE_URL,
        form_data(bid_deadline="demain", procedure="enchere", estimated_amount="-3", cpv_code="45000000-3"),
    )

    assert response.status_code == 200
    page = text_of(response)
    assert "Indiquez une date et une heure valides" in page
    assert "Le montant estimé doit être positif ou nul." in page
    assert "Le chiffre de contrôle du code 45000000 est 7" in page
    assert "procedure" in response.context["form"].errors
    assert not Market.objects.filter(reference="2026-TRX-020").exists()


def test_the_procedure_list_reads_in_french(buyer_client):
    page = text_of(buyer_client.get(CREATE_URL))

    for label in ("Procédure adaptée (MAPA)", "Appel d'offres ouvert", "Dialogue compétitif", "Autre"):
        assert label in page


def test_a_lot_takes_its_own_deadline(buyer_client, market):
    response = buyer_client.post(
        reverse("procurement:market_detail", args=[market.pk]),
        {"number": "2", "title": "Menuiseries", "bid_deadline": "2026-05-01T10:30"},
    )

    assert response.status_code == 302
    lot = Lot.objects.get(market=market, number=2)
    assert lot.bid_deadline == datetime.datetime(2026, 5, 1, 10, 30, tzinfo=PARIS)
    assert "date limite\u00a0: 1er\u00a0mai 2026 à 10\u00a0h\u00a030" in text_of(
        buyer_client.get(reverse("procurement:market_detail", args=[market.pk]))
    )


# --- The market page ------------------------------------------------------------------------------------------------


def test_the_page_shows_the_description_with_the_cpv_label(buyer_client, organisation):
    market = MarketFactory(
        organisation=organisation,
        bid_deadline=datetime.datetime(2030, 4, 15, 12, 0, tzinfo=PARIS),
        procedure=Procedure.MAPA,
        estimated_amount=Decimal("84000"),
        cpv_code="45211000-9",
    )

    page = text_of(buyer_client.get(reverse("procurement:market_detail", args=[market.pk])))

    assert "15\u00a0avril 2030 à 12\u00a0h\u00a000 (heure de Paris)" in page
    assert "Procédure adaptée (MAPA)" in page
    assert "84\u202f000\u00a0€\u00a0HT" in page or "84\xa0000\u00a0€\u00a0HT" in page
    assert "45211000-9 — rattaché à 45210000-2\u00a0: Travaux de construction de bâtiments" in page
    assert "La date limite de remise des offres est passée" not in page


def test_a_closed_link_is_said_and_may_be_reopened_after_a_french_confirmation(buyer_client, buyer, market):
    market.bid_deadline = timezone.now() - datetime.timedelta(days=1)
    market.save()
    detail_url = reverse("procurement:market_detail", args=[market.pk])
    reopen_url = reverse("procurement:market_reopen_annex", args=[market.pk])

    page = text_of(buyer_client.get(detail_url))
    confirmation = text_of(buyer_client.get(reopen_url))
    buyer_client.post(reopen_url)
    after = text_of(buyer_client.get(detail_url))

    assert "La date limite de remise des offres est passée\u00a0: le lien n'enregistre plus de réponse." in page
    assert reopen_url in page
    assert "Confirmer la réouverture du lien" in confirmation
    assert "jusqu'à ce que vous fixiez une nouvelle date limite" in confirmation
    assert "Lien rouvert le" in after
    assert buyer.email in after or buyer.get_full_name() in after
    assert reopen_url not in after


def test_the_reopen_button_is_for_market_editors_only(client_with_role, market):
    market.bid_deadline = timezone.now() - datetime.timedelta(days=1)
    market.save()
    client = client_with_role(Role.EQUALITY_OFFICER)

    page = text_of(client.get(reverse("procurement:market_detail", args=[market.pk])))

    assert "La date limite de remise des offres est passée" in page
    assert reverse("procurement:market_reopen_annex", args=[market.pk]) not in page


def test_the_page_offers_to_create_the_insertion_clause_then_opens_it(buyer_client, market):
    detail_url = reverse("procurement:market_detail", args=[market.pk])
    create_url = reverse("clauses:clause_create", kwargs={"market_pk": market.pk})
    clause_url = reverse("clauses:market", kwargs={"market_pk": market.pk})

    before = text_of(buyer_client.get(detail_url))
    InsertionClause.objects.create(
        market=market, hours_planned=Decimal(500), start=market.execution_start, end=market.execution_end
    )
    after = text_of(buyer_client.get(detail_url))

    assert f'href="{create_url}"' in before and "Créer la clause d'insertion de ce marché" in before
    assert f'href="{clause_url}"' in after and "Ouvrir la clause d'insertion de ce marché" in after
    assert f'href="{create_url}"' not in after


def test_a_new_clause_starts_from_the_market_hours_and_dates(buyer_client, organisation):
    market = MarketFactory(organisation=organisation, insertion_hours_planned=Decimal("750.5"))

    form = buyer_client.get(reverse("clauses:clause_create", kwargs={"market_pk": market.pk})).context["form"]

    assert form["hours_planned"].value() == Decimal("750.5")
    assert form["start"].value() == market.execution_start
    assert form["end"].value() == market.execution_end


# --- The import ------------------------------------------------------------------------------------------------------

HEADER = "reference;title;market_type;published_on;bid_deadline;procedure;estimated_amount;cpv_code"


def csv_bytes(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_the_import_takes_deadline_procedure_amount_and_cpv(organisation):
    content = csv_bytes(
        HEADER,
        "2026-A;Voirie;travaux;2026-01-15;2026-02-20T12:00;open;1 200 000,00;45233140-2",
        "2026-B;Nettoyage;services;2026-01-15;2026-02-20;Procédure adaptée (MAPA);35000;90911200-8",
        "2026-C;Mobilier;fournitures;2026-01-15;;;;",
    )

    result = import_markets(organisation=organisation, content=content, filename="m.csv")

    assert result.created == 3
    roads = Market.objects.get(reference="2026-A")
    assert roads.bid_deadline == datetime.datetime(2026, 2, 20, 12, 0, tzinfo=PARIS)
    assert (roads.procedure, roads.estimated_amount, roads.cpv_code) == ("open", Decimal("1200000.00"), "45233140-2")
    cleaning = Market.objects.get(reference="2026-B")
    assert cleaning.bid_deadline == datetime.datetime(2026, 2, 20, 23, 59, tzinfo=PARIS)  # a date: its last minute
    assert cleaning.procedure == Procedure.MAPA
    furniture = Market.objects.get(reference="2026-C")
    assert (furniture.bid_deadline, furniture.procedure, furniture.estimated_amount, furniture.cpv_code) == (
        None,
        "",
        None,
        "",
    )


def test_the_import_lists_every_bad_value_and_imports_nothing(organisation):
    content = csv_bytes(
        HEADER,
        "2026-A;Voirie;travaux;2026-01-15;2026-02-20T12:00;open;1200000;45233140-2",
        "2026-B;Voirie;travaux;2026-01-15;31/02/2026 10:00;open;;",
        "2026-C;Voirie;travaux;2026-01-15;;enchère;;",
        "2026-D;Voirie;travaux;2026-01-15;;;-10;",
        "2026-E;Voirie;travaux;2026-01-15;;;;45000000-3",
        "2026-F;Voirie;travaux;2026-01-15;;;;4500000",
    )

    with pytest.raises(ImportRejected) as caught:
        import_markets(organisation=organisation, content=content, filename="m.csv")

    assert caught.value.errors == [
        "ligne 3 : bid_deadline : « 31/02/2026 10:00 » n'est pas une date et heure au format JJ/MM/AAAA HH:MM ou "
        "AAAA-MM-JJTHH:MM (heure de Paris), ou une date seule",
        "ligne 4 : procedure : « enchère » : valeurs possibles : mapa, open, restricted, negotiated, "
        "competitive_dialogue, without_notice, other",
        "ligne 5 : estimated_amount : « -10 » doit être supérieur ou égal à 0",
        "ligne 6 : cpv_code : « 45000000-3 » : Le chiffre de contrôle du code 45000000 est 7 (45000000-7) : "
        "vérifiez le code recopié.",
        "ligne 7 : cpv_code : « 4500000 » : " + cpv.FORMAT_MESSAGE,
    ]
    assert not Market.objects.exists()


def test_the_import_page_lists_the_new_columns(buyer_client):
    page = text_of(buyer_client.get(reverse("procurement:market_import")))

    for column in ("bid_deadline", "procedure", "estimated_amount", "cpv_code"):
        assert column in page


def test_the_reopen_page_of_an_open_link_says_there_is_nothing_to_reopen(buyer_client, market):
    market.bid_deadline = None
    market.save()

    page = text_of(buyer_client.get(reverse("procurement:market_reopen_annex", args=[market.pk])))

    assert "Le lien de l'annexe égalité de ce marché est ouvert\u00a0: il n'y a rien à rouvrir." in page
    assert "était le" not in page
    assert "Confirmer la réouverture du lien" not in page
