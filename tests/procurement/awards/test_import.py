"""import_decp: the official examples, real published files, refusals, and the hand-built file whose markets and
titulaires are checked against values worked out by hand."""

import datetime
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from procurement.awards import reader
from procurement.awards.enums import FieldSource, HolderRole, MarketHistoryKind
from procurement.awards.selectors import field_sources
from procurement.awards.services import DecpRefused, import_decp
from procurement.enums import MarketType, Procedure
from procurement.models import DecpImport, Market, MarketAward, MarketHistoryEntry, MarketHolder
from tests.procurement.awards.factories import (
    BUYER_SIREN,
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    decp_file,
    hand_built_file,
    hand_built_records,
    market,
    modification,
)
from tests.procurement.factories import MarketFactory, OrganisationFactory

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "decp"


def run(organisation, content: bytes, filename: str = "decp.json") -> DecpImport:
    return import_decp(organisation=organisation, stream=io.BytesIO(content), filename=filename)


def run_file(organisation, path: Path) -> DecpImport:
    with path.open("rb") as stream:
        return import_decp(organisation=organisation, stream=stream, filename=path.name)


def refused(organisation, content: bytes, filename: str = "decp.json") -> str:
    with pytest.raises(DecpRefused) as caught:
        run(organisation, content, filename)
    return str(caught.value)


@pytest.fixture
def buyer_organisation():
    return OrganisationFactory(name="Ville de Test", slug="ville-test", siren=BUYER_SIREN)


def holders_of(market: Market) -> set[tuple]:
    return {
        (holder.siren or holder.identifier, holder.role, holder.is_initial, holder.is_current)
        for holder in market.holders.all()
    }


# --- The hand-built file ------------------------------------------------------------------------------------


def test_the_hand_built_file_gives_the_markets_and_titulaires_worked_out_by_hand(buyer_organisation):
    first = run(buyer_organisation, hand_built_file())

    assert (first.records_read, first.records_other_buyers, first.duplicates_merged) == (6, 1, 1)
    assert (first.markets_created, first.markets_updated, first.markets_unchanged) == (4, 0, 0)
    markets = {m.reference: m for m in Market.objects.filter(organisation=buyer_organisation)}
    assert set(markets) == {"2025-001", "2025-001 · 2025-11-15", "2025-002", "2025-003"}

    works = markets["2025-001"]
    # Modification n° 1 (June) then n° 2 (September), whatever their order in the file.
    assert (works.awarded_amount, works.duration_months) == (Decimal("130000.00"), 18)
    assert works.notified_on == datetime.date(2025, 3, 10)
    assert works.market_type == MarketType.TRAVAUX
    assert works.social_considerations == ["Clause sociale"]
    assert holders_of(works) == {
        (A[0], HolderRole.GROUPEMENT_MEMBER, True, True),
        (C[0], HolderRole.GROUPEMENT_MEMBER, False, True),
    }
    assert works.award.initial_amount == Decimal("100000.00")
    assert works.award.initial_duration_months == 12

    cleaning = markets["2025-002"]
    assert cleaning.market_type == MarketType.SERVICES
    assert cleaning.awarded_amount == Decimal("80000.00")
    assert cleaning.social_considerations == ["Pas de considération sociale"]
    assert holders_of(cleaning) == {
        (B[0], HolderRole.GROUPEMENT_MEMBER, True, True),
        (D[0], HolderRole.GROUPEMENT_MEMBER, True, True),
        (E[0], HolderRole.SUBCONTRACTOR, True, True),
    }
    assert cleaning.holders.get(role=HolderRole.SUBCONTRACTOR).subcontract_amount == Decimal("20000.00")

    supplies = markets["2025-003"]
    assert supplies.market_type == MarketType.FOURNITURES
    assert supplies.awarded_amount == Decimal("55000.00")
    assert supplies.social_considerations == ["Critère social", "Marché réservé"]
    assert holders_of(supplies) == {
        (A[0], HolderRole.TITULAIRE, True, False),
        (F[0], HolderRole.TITULAIRE, False, True),
    }

    second_contract = markets["2025-001 · 2025-11-15"]
    assert second_contract.awarded_amount == Decimal("40000.00")
    assert holders_of(second_contract) == {(D[0], HolderRole.TITULAIRE, True, True)}
    # The other buyer's contract and its titulaire G are nowhere.
    assert not MarketHolder.objects.filter(siren=G[0]).exists()

    # Current titulaires: A, B, C, D, F (E is a subcontractor; A, replaced by F in 2025-003, holds 2025-001).
    current = MarketHolder.objects.for_organisation(buyer_organisation).titulaires().current()
    assert set(current.values_list("siren", flat=True)) == {A[0], B[0], C[0], D[0], F[0]}

    again = run(buyer_organisation, hand_built_file())
    assert (again.markets_created, again.markets_updated, again.markets_unchanged) == (0, 0, 4)
    assert Market.objects.filter(organisation=buyer_organisation).count() == 4
    assert MarketHolder.objects.count() == 2 + 3 + 2 + 1
    assert MarketHistoryEntry.objects.count() == 4  # one « created » per market, nothing from the second run


def test_a_new_modification_updates_the_market_and_its_titulaires_with_the_change_in_its_history(
    buyer_organisation,
):
    run(buyer_organisation, hand_built_file())
    records = hand_built_records()
    records[2]["modifications"].append(
        {"modification": modification(2, notified_on="2026-01-10", amount=60000, holders=[G[1]])}
    )

    result = run(buyer_organisation, decp_file(*records))

    assert (result.markets_created, result.markets_updated, result.markets_unchanged) == (0, 1, 3)
    supplies = Market.objects.get(organisation=buyer_organisation, reference="2025-003")
    assert supplies.awarded_amount == Decimal("60000.00")
    assert holders_of(supplies) == {
        (A[0], HolderRole.TITULAIRE, True, False),
        (G[0], HolderRole.TITULAIRE, False, True),
    }
    entry = supplies.history.get(kind=MarketHistoryKind.UPDATED_FROM_DECP)
    changes = {change["field"]: (change["old"], change["new"]) for change in entry.changes}
    assert changes["awarded_amount"] == ("55\u202f000,00\u00a0€", "60\u202f000,00\u00a0€")
    assert changes["titulaires"] == (F[1], G[1])
    assert entry.decp_import == result


def test_a_staff_market_is_completed_never_overwritten_and_each_field_says_where_it_came_from(buyer_organisation):
    staff = MarketFactory(
        organisation=buyer_organisation,
        reference="2025-002",
        title="Nettoyage des écoles (saisi)",
        market_type=MarketType.SERVICES,
        procedure=Procedure.MAPA,
        cpv_code="",
    )

    run(buyer_organisation, hand_built_file())

    staff.refresh_from_db()
    assert staff.title == "Nettoyage des écoles (saisi)"
    assert staff.procedure == Procedure.MAPA  # the DECP says « Appel d'offres ouvert »: staff's value stays
    assert staff.cpv_code == "90910000-9"
    assert staff.notified_on == datetime.date(2025, 5, 2)
    sources = field_sources(market=staff)
    assert sources["title"] == sources["procedure"] == FieldSource.STAFF
    assert sources["cpv_code"] == sources["notified_on"] == sources["awarded_amount"] == FieldSource.DECP
    assert staff.history.get().kind == MarketHistoryKind.COMPLETED_FROM_DECP
    assert Market.objects.filter(organisation=buyer_organisation, reference__startswith="2025-002").count() == 1


def test_a_value_staff_changed_after_the_import_survives_a_later_modification(buyer_organisation):
    run(buyer_organisation, hand_built_file())
    supplies = Market.objects.get(organisation=buyer_organisation, reference="2025-003")
    supplies.awarded_amount = Decimal("57000")
    supplies.save()
    records = hand_built_records()
    records[2]["modifications"].append({"modification": modification(2, notified_on="2026-01-10", amount=60000)})

    run(buyer_organisation, decp_file(*records))

    supplies.refresh_from_db()
    assert supplies.awarded_amount == Decimal("57000.00")
    assert supplies.award.amount == Decimal("60000.00")
    assert field_sources(market=supplies)["awarded_amount"] == FieldSource.STAFF


@pytest.mark.parametrize(
    ("amount", "cents"),
    [
        (374547.005, "374547.01"),
        (842976.125, "842976.13"),
        ("12 000,005", "12000.01"),
        (1000.004, "1000.00"),
        (0.335, "0.34"),
    ],
)
def test_an_amount_of_more_than_two_decimals_is_rounded_to_the_nearest_cent_half_up(buyer_organisation, amount, cents):
    """0.005 goes up, as everywhere on the platform (docs/indicateurs.md): the cent of 374 547,005 € is not dropped
    by the banker's rounding of Decimal's default context (half to even), in the contract and in a modification."""
    run(
        buyer_organisation,
        decp_file(
            market("2025-010", notified_on="2025-03-10", amount=amount, holders=[A[1]]),
            market(
                "2025-011",
                notified_on="2025-03-10",
                amount=1000,
                holders=[A[1]],
                modifications=[modification(1, notified_on="2025-06-01", amount=amount)],
            ),
        ),
    )

    amounts = dict(Market.objects.filter(organisation=buyer_organisation).values_list("reference", "awarded_amount"))
    assert amounts == {"2025-010": Decimal(cents), "2025-011": Decimal(cents)}


def test_a_contract_imported_with_its_amount_to_the_even_cent_keeps_its_key_and_is_corrected_on_reimport(
    buyer_organisation,
):
    """Before amounts were rounded half up, 374 547,005 € was stored 374 547,00 € and its merge key written with
    it: the key does not change (importing the file again finds the same market, no second one), the contract does
    (the market gets its cent back)."""
    run(buyer_organisation, decp_file(market("2025-010", notified_on="2025-03-10", amount=374547, holders=[A[1]])))
    key_of_whole_euros = MarketAward.objects.get().merge_key
    MarketAward.objects.all().delete()
    Market.objects.all().delete()
    content = decp_file(market("2025-010", notified_on="2025-03-10", amount=374547.005, holders=[A[1]]))
    run(buyer_organisation, content)
    award = MarketAward.objects.get()
    assert award.merge_key == key_of_whole_euros
    # What an import before the fix left.
    MarketAward.objects.update(initial_amount=Decimal("374547.00"), amount=Decimal("374547.00"), content_hash="0")
    Market.objects.update(awarded_amount=Decimal("374547.00"))

    again = run(buyer_organisation, content)

    assert (again.markets_created, again.markets_updated) == (0, 1)
    assert Market.objects.get().awarded_amount == Decimal("374547.01")


def test_two_contracts_under_one_id_stay_two_markets_even_imported_in_two_files(buyer_organisation):
    first = market("L-7", notified_on="2025-01-10", amount=10000, holders=[A[1]])
    second = market("L-7", notified_on="2025-01-10", amount=25000, holders=[B[1]])

    run(buyer_organisation, decp_file(first))
    run(buyer_organisation, decp_file(second))
    run(buyer_organisation, decp_file(first, second))

    references = set(Market.objects.filter(organisation=buyer_organisation).values_list("reference", flat=True))
    assert references == {"L-7", "L-7 · 2025-01-10"}
    assert MarketAward.objects.count() == 2


def test_an_empty_id_still_gives_a_market_with_a_built_reference(buyer_organisation):
    result = run(buyer_organisation, decp_file(market("", notified_on="2025-02-03", amount=5000, holders=[A[1]])))

    assert Market.objects.get().reference == "DECP sans identifiant · 2025-02-03"
    assert any(line.startswith("marché sans identifiant (n° 1 du fichier) : id : ") for line in result.report)


def test_format_1x_social_considerations_are_unknown_not_none(buyer_organisation):
    result = run(
        buyer_organisation,
        b'{"marches": [{"id": "V1-1", "acheteur": {"id": "%s", "nom": "Ville"}, "nature": "March\xc3\xa9", '
        b'"objet": "Voirie", "codeCPV": "45233140", "procedure": "Proc\xc3\xa9dure adapt\xc3\xa9e", '
        b'"dureeMois": 6, "dateNotification": "2023-04-01", "montant": 45000, "titulaires": '
        b'[{"typeIdentifiant": "SIRET", "id": "%s", "denominationSociale": "Routes SA"}], "modifications": []}]}'
        % (f"{BUYER_SIREN}00015".encode(), A[1].encode()),
    )

    created = Market.objects.get(reference="V1-1")
    assert result.schema_version == "1.x"
    assert created.social_considerations is None
    assert created.award.social_considerations is None
    assert created.cpv_code == "45233140-2"  # the check digit of a known code is added
    assert created.holders.get().name == "Routes SA"


# --- The official examples (139bercy/format-commande-publique) ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "siren", "expected_markets"),
    [
        ("v2-marches_avec_modifications.json", "217500016", 2),
        ("v2-marches_concessions.json", "217500016", None),
        ("v2-Marche.xml", "217500016", 1),
        ("v1.5-paquet.json", "213502388", 1),
        ("v1.5-mar-avec-modifications.json", "213502388", 1),
        ("v1.5-mar-basique.json", "213502388", 1),
    ],
)
def test_the_official_examples_import_for_the_buyer_with_their_siret(name, siren, expected_markets):
    organisation = OrganisationFactory(siren=siren)

    result = run_file(organisation, CORPUS / "official" / name)

    created = Market.objects.filter(organisation=organisation).count()
    assert created == result.markets_created
    if expected_markets is not None:
        assert created == expected_markets
    else:
        assert created >= 1
    assert MarketHolder.objects.filter(market__organisation=organisation).exists()


def test_the_official_15_example_replaces_a_titulaire_by_modification():
    organisation = OrganisationFactory(siren="213502388")

    run_file(organisation, CORPUS / "official" / "v1.5-mar-avec-modifications.json")

    rennes = Market.objects.get(organisation=organisation)
    assert holders_of(rennes) == {
        ("812231132", HolderRole.GROUPEMENT_MEMBER, True, True),
        ("DE814864138", HolderRole.GROUPEMENT_MEMBER, True, False),
        ("871276392", HolderRole.GROUPEMENT_MEMBER, False, True),
    }
    assert rennes.procedure == Procedure.WITHOUT_NOTICE
    assert rennes.market_type == MarketType.SERVICES


def test_the_concession_of_the_official_15_package_is_set_aside_with_its_reason():
    organisation = OrganisationFactory(siren="213502388")

    result = run_file(organisation, CORPUS / "official" / "v1.5-paquet.json")

    assert result.records_set_aside == 1
    assert (
        "marché 200103452112 : _type : contrat de concession, hors du champ des marchés : contrat écarté"
        in result.report
    )


# --- Real files published by buyers (tests/corpus/decp/README.md) -------------------------------------------


def test_a_real_consolidated_file_imports_the_buyers_contracts_with_a_located_report():
    lyon = OrganisationFactory(siren="216901231")

    result = run_file(lyon, CORPUS / "real" / "pes-2019-excerpt.json")

    assert (result.records_read, result.records_other_buyers, result.markets_created) == (20, 6, 14)
    assert (
        "marché 2018J129600 : dateNotification : « 2018-11-02+01:00 » : date suivie d'une heure ou d'un fuseau, "
        "lue 2018-11-02" in result.report
    )
    market_ = Market.objects.get(organisation=lyon, reference="2018J129600")
    assert market_.notified_on == datetime.date(2018, 11, 2)
    assert market_.social_considerations is None


def test_a_real_file_without_dates_sets_aside_only_the_contracts_it_cannot_date():
    buyer = OrganisationFactory(siren="221700016")

    result = run_file(buyer, CORPUS / "real" / "aife-2019-excerpt.json")

    assert result.records_set_aside == 1
    assert result.markets_created == 11
    assert (
        "marché 2018IeH01acung00 : dateNotification : aucune date de notification ni de publication : "
        "contrat écarté" in result.report
    )
    assert any(
        line.startswith("marché 2019YfBgQpwTEm00 : procedure : « Marché public négocié sans publicité")
        for line in result.report
    )
    assert Market.objects.get(reference="2019YfBgQpwTEm00").procedure == Procedure.WITHOUT_NOTICE


def test_a_file_with_broken_titulaires_reports_them_and_keeps_the_readable_ones():
    lyon = OrganisationFactory(siren="216901231")

    result = run_file(lyon, CORPUS / "real" / "decp-processing-2022-fixture.json")

    assert result.markets_created == 1
    assert (
        "marché 2019K1209 : modifications[1].titulaires[1] : « typeIdentifiant » n'est pas un titulaire "
        "(identifiant et type) : ignoré" in result.report
    )
    school = Market.objects.get(organisation=lyon)
    assert school.holders.titulaires().count() == 3
    assert school.holders.subcontractors().count() == 2


# --- Refusals: nothing stored -------------------------------------------------------------------------------


def _nothing_stored():
    assert not Market.objects.exists()
    assert not DecpImport.objects.exists()
    assert not MarketHolder.objects.exists()


def test_a_truncated_file_is_refused_and_nothing_is_stored(buyer_organisation):
    content = hand_built_file()

    reason = refused(buyer_organisation, content[: len(content) - 40])

    assert reason.startswith("Le fichier JSON est incomplet ou mal formé")
    _nothing_stored()


def test_a_file_truncated_after_many_contracts_stores_none_of_them(buyer_organisation, monkeypatch):
    records = [market(f"T-{n}", notified_on="2025-01-01", amount=1000 + n, holders=[A[1]]) for n in range(30)]
    monkeypatch.setattr("procurement.awards.services.BATCH_SIZE", 5)
    content = decp_file(*records)

    refused(buyer_organisation, content[:-3])

    _nothing_stored()


@pytest.mark.parametrize(
    "content",
    [b'{"data": [{"id": 1}]}', b"[1, 2, 3]", b'{"marches": "aucun"}', b"12"],
)
def test_a_json_file_that_is_not_decp_is_refused_with_a_french_reason(buyer_organisation, content):
    reason = refused(buyer_organisation, content)

    assert "n'est pas un fichier de données essentielles" in reason or "ni du JSON ni du XML" in reason
    _nothing_stored()


def test_an_xml_file_with_an_external_entity_is_refused_and_nothing_is_fetched(buyer_organisation, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET")
    content = (
        f'<?xml version="1.0"?><!DOCTYPE marches [<!ENTITY x SYSTEM "file://{secret}">]>'
        "<marches><marche><id>&x;</id></marche></marches>"
    ).encode()

    reason = refused(buyer_organisation, content, "decp.xml")

    assert "DTD ou des entités" in reason
    _nothing_stored()


def test_an_xml_entity_used_without_declaration_is_refused(buyer_organisation):
    reason = refused(buyer_organisation, b"<marches><marche><id>&x;</id></marche></marches>", "decp.xml")

    assert reason.startswith("Le fichier XML")
    _nothing_stored()


@pytest.mark.parametrize(
    "content",
    [b"<marches><marche><id>1</id>", b"<contrats><marche/></contrats>", b"\xff\xfe{"],
)
def test_truncated_or_foreign_xml_and_non_utf8_files_are_refused(buyer_organisation, content):
    reason = refused(buyer_organisation, content)

    assert any(words in reason for words in ("Rien n'a été enregistré", "racine", "UTF-8", "ni du JSON"))
    _nothing_stored()


def test_an_organisation_without_siren_is_told_what_to_do(organisation):
    reason = refused(organisation, hand_built_file())

    assert reason.startswith("Le SIREN de votre organisation n'est pas renseigné")


# --- Reading in pieces ----------------------------------------------------------------------------------------


def test_the_file_read_in_tiny_chunks_gives_the_same_markets(buyer_organisation, monkeypatch):
    monkeypatch.setattr(reader, "CHUNK_BYTES", 7)

    result = run(buyer_organisation, hand_built_file())

    assert (result.markets_created, result.duplicates_merged) == (4, 1)
    assert Market.objects.get(reference="2025-001").awarded_amount == Decimal("130000.00")


# --- Found by the fuzz tests (tests/fuzz/) -------------------------------------------------------------------


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_a_nan_or_infinite_number_is_reported_and_ignored(buyer_organisation, constant):
    # Not JSON, but written by tools that publish DECP (tests/corpus/decp/real/ holds a NaN), and read by Python's
    # json: the schema's integer check converted it to an int and raised.
    content = decp_file(market("2025-001", notified_on="2025-03-01", amount=1000, holders=[A[1]])).replace(
        b'"dureeMois": 12', f'"dureeMois": {constant}'.encode()
    )

    result = run(buyer_organisation, content)

    assert result.markets_created == 1
    shown = {"NaN": "nan", "Infinity": "inf", "-Infinity": "-inf"}[constant]
    assert f"marché 2025-001 : dureeMois : « {shown} » n'est pas une durée en mois : ignorée" in result.report
    assert MarketAward.objects.get().duration_months is None


def test_an_integer_longer_than_python_reads_is_a_malformed_file(buyer_organisation):
    content = decp_file(market("2025-001", notified_on="2025-03-01", amount=1000, holders=[A[1]])).replace(
        b'"dureeMois": 12', b'"dureeMois": ' + b"1" * 5000
    )

    assert refused(buyer_organisation, content).startswith("Le fichier JSON est incomplet ou mal formé (avant le")


@pytest.mark.parametrize("opening", [b"[", b'{"a": '])
def test_a_value_nested_deeper_than_python_reads_is_refused_in_french(buyer_organisation, opening):
    # 100 kB that made Python's JSON reader raise RecursionError, which no refusal caught: the import failed.
    record = {**market("2025-001", notified_on="2025-03-01", amount=1000, holders=[A[1]]), "montant": "DEEP"}
    content = decp_file(record).replace(b'"DEEP"', opening * 100_000)

    reason = refused(buyer_organisation, content)

    assert reason == (
        "Le contrat n° 1 du fichier imbrique trop de tableaux ou d'objets JSON pour être lu : vérifiez le fichier, "
        "rien n'a été enregistré."
    )
    _nothing_stored()


def test_an_amount_written_as_a_list_or_an_object_is_reported_and_ignored(buyer_organisation):
    records = [
        {**market("2025-001", notified_on="2025-03-01", amount=1000, holders=[A[1]]), "montant": [[[]]]},
        {**market("2025-002", notified_on="2025-03-01", amount=1000, holders=[A[1]]), "montant": {"valeur": 10}},
    ]

    result = run(buyer_organisation, decp_file(*records))

    assert result.markets_created == 2
    assert "marché 2025-001 : montant : « [[[]]] » n'est pas un montant : ignoré" in result.report
    assert MarketAward.objects.filter(amount__isnull=True).count() == 2


def test_a_cpv_code_of_digits_that_are_not_ascii_is_an_unknown_division(buyer_organisation):
    # « ²² » passes str.isdigit(), which int() refused with a ValueError.
    record = {**market("2025-001", notified_on="2025-03-01", amount=1000, holders=[A[1]]), "codeCPV": "²²000000-1"}

    result = run(buyer_organisation, decp_file(record))

    assert result.markets_created == 1
    assert (
        "marché 2025-001 : codeCPV : « ²²000000-1 » : division CPV inconnue, type de marché inconnu" in result.report
    )


@pytest.mark.parametrize("digits", ["²" * 14, "١" * 14, "１" * 14])
def test_a_titulaire_id_of_fourteen_digits_that_are_not_ascii_is_kept_without_siret(buyer_organisation, digits):
    # « ² » passes str.isdigit(): the Luhn check's int() raised a ValueError; « ١ » or « １ » were stored as a
    # SIRET and its SIREN, which nothing can match.
    record = market("2025-001", notified_on="2025-03-01", amount=1000, holders=[digits])

    result = run(buyer_organisation, decp_file(record))

    assert result.markets_created == 1
    assert MarketHolder.objects.get().siren == ""
    reason = "un SIRET a 14 chiffres ; titulaire gardé sans SIREN, non rapprochable"
    assert f"marché 2025-001 : titulaires[1] : « {digits} » : {reason}" in result.report


def test_an_integral_number_with_a_huge_exponent_is_checked_without_being_converted():
    # int(Decimal("1E+999999999")) runs for hours: the schema's « integer » check compares it with its integral
    # value instead. Run in a process of its own, so that the old check fails the test instead of hanging it.
    check = (
        "from decimal import Decimal; from procurement.awards.schema import _is_type; "
        "print(_is_type(Decimal('1E+999999999'), 'integer'), _is_type(Decimal('1.5'), 'integer'), "
        "_is_type(Decimal('NaN'), 'integer'))"
    )
    completed = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-c", check], cwd=CORPUS.parents[2], capture_output=True, text=True, timeout=60, check=True
    )

    assert completed.stdout.split() == ["True", "False", "False"]
