"""Every import page shows its columns in French, offers a model CSV, XLSX and ODS (French headings, an example
row, and in a workbook a « Lisez-moi » sheet) that import as they are, and reads French headings, dates and values
as well as the technical names and codes of docs/formats.md."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pandas
import pytest
from django.urls import reverse

from clauses.enums import ContractType, JobDominance
from clauses.models import HoursRecord, Mission
from clauses.services.hours_import import IMPORT_COLUMNS as HOURS_COLUMNS
from clauses.services.hours_import import import_clause_hours
from procurement.enums import MarketType, Procedure, Role
from procurement.models import Market
from procurement.services.market_import import IMPORT_COLUMNS as MARKET_COLUMNS
from procurement.services.market_import import import_markets
from procurement.tabular import header_key
from procurement.templatetags.french import no_break_spaces
from procurement.views.downloads import CONTENT_TYPES
from questionnaire.enums import OfficerGender
from questionnaire.models import AnnexResponse
from questionnaire.services.annex_import import EXPORT_ONLY, MODEL_COLUMNS, import_annexes
from tests.clauses.factories import InsertionClauseFactory
from tests.procurement.factories import MarketFactory
from tests.utils import text_of

PAGES = [
    ("procurement:market_import", "procurement:market_import_model", Role.BUYER, MARKET_COLUMNS),
    ("responses:import", "responses:import_model", Role.BUYER, MODEL_COLUMNS),
    ("clauses:hours_import", "clauses:hours_import_model", Role.FACILITATOR, HOURS_COLUMNS),
]

MODEL_FORMATS = ("csv", "xlsx", "ods")


def clause_market_of_the_examples(organisation):
    """The hours model's example row names the market 2026-VOIRIE-01, which must have a clause."""
    return InsertionClauseFactory(
        market__organisation=organisation,
        market__reference="2026-VOIRIE-01",
        market__execution_start=datetime.date(2026, 6, 1),
        market__execution_end=datetime.date(2027, 12, 31),
    ).market


IMPORTS = {
    "procurement:market_import_model": lambda organisation, content, name: import_markets(
        organisation=organisation, content=content, filename=name
    ),
    "responses:import_model": lambda organisation, content, name: import_annexes(
        organisation=organisation, content=content, filename=name
    ),
    "clauses:hours_import_model": lambda organisation, content, name: import_clause_hours(
        organisation=organisation, content=content, filename=name
    ),
}


@pytest.mark.parametrize("columns", [MARKET_COLUMNS, [*MODEL_COLUMNS, *EXPORT_ONLY], HOURS_COLUMNS])
def test_no_two_headings_of_an_import_read_the_same(columns):
    keys = {}
    for column in columns:
        for heading in {column.name, column.label, *column.aliases}:
            assert keys.setdefault(header_key(heading), column.name) == column.name, heading


@pytest.mark.parametrize(("page", "model", "role", "columns"), PAGES)
def test_the_page_lists_the_french_columns_and_links_the_models(client_with_role, page, model, role, columns):
    response = client_with_role(role).get(reverse(page))

    text = text_of(response)
    for column in columns:
        # The heading as the page writes it, its signs kept on their line (« Cadres\u00a0: femmes »).
        assert no_break_spaces(column.label) in text and column.name in text
    html = response.content.decode()
    for file_format in MODEL_FORMATS:
        assert f'href="{reverse(model, args=[file_format])}"' in html
    assert "Modèle ODS" in text


@pytest.mark.parametrize(("page", "model", "role", "columns"), PAGES)
def test_each_model_file_imports_as_it_is(client_with_role, organisation, page, model, role, columns):
    client = client_with_role(role)
    if model == "clauses:hours_import_model":
        clause_market_of_the_examples(organisation)
    downloads = {}
    for file_format in MODEL_FORMATS:
        download = client.get(reverse(model, args=[file_format]))
        assert download.status_code == 200
        assert download["Content-Disposition"].endswith(f'.{file_format}"')
        assert download["Content-Type"] == CONTENT_TYPES[file_format]
        downloads[file_format] = download.content

        result = IMPORTS[model](organisation, download.content, f"modele.{file_format}")

        assert (result.rows if hasattr(result, "rows") else result.created + result.unchanged) == 1
    workbook = openpyxl.load_workbook(io.BytesIO(downloads["xlsx"]))
    data, readme = workbook.worksheets
    assert [cell.value for cell in data[1]] == [column.label for column in columns]
    assert readme.title == "Lisez-moi"
    described = {row[1] for row in readme.iter_rows(min_row=5, values_only=True)}
    assert described == {column.name for column in columns}
    # The ODS holds the same sheets and cells as the XLSX, as pandas reads them (odfpy, not our reader).
    for name in ("Données", "Lisez-moi"):
        as_ods = pandas.read_excel(io.BytesIO(downloads["ods"]), sheet_name=name, engine="odf", header=None, dtype=str)
        as_xlsx = pandas.read_excel(io.BytesIO(downloads["xlsx"]), sheet_name=name, header=None, dtype=str)
        pandas.testing.assert_frame_equal(as_ods, as_xlsx)


def test_an_unknown_model_format_is_404(client_with_role):
    assert (
        client_with_role(Role.BUYER).get(reverse("procurement:market_import_model", args=["pdf"])).status_code == 404
    )


def csv_bytes(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_markets_read_french_headings_dates_and_values(organisation):
    content = (
        csv_bytes(
            "Référence;OBJET;type;Date de publication;Début d'exécution;Fin d’exécution;"
            "Heures d'insertion prévues;Base vie;Date limite de remise des offres;Procédure;Montant estimé (€ HT)",
            "2026-A;Voirie;Travaux;20/11/2026;01/02/2027;31/12/2027;1 200,5;Oui;15/01/2027 12:00;"
            "Appel d'offres ouvert;850 000,00",
        )
        .replace(b"date d'execution;", b"")
        .replace(b";;01/02", b";01/02")
    )

    import_markets(organisation=organisation, content=content, filename="marches.csv")

    market = Market.objects.get(reference="2026-A")
    assert market.market_type == MarketType.TRAVAUX
    assert market.published_on == datetime.date(2026, 11, 20)
    assert (market.execution_start, market.execution_end) == (datetime.date(2027, 2, 1), datetime.date(2027, 12, 31))
    assert market.insertion_hours_planned == Decimal("1200.5")
    assert market.has_base_vie is True
    assert market.bid_deadline == datetime.datetime(2027, 1, 15, 11, 0, tzinfo=datetime.UTC)
    assert market.procedure == Procedure.OPEN
    assert market.estimated_amount == Decimal("850000.00")


def test_annexes_read_french_headings_dates_and_values(organisation):
    content = (
        "Nom de la structure;Date d'envoi;SIRET;Cadres : femmes;Non cadres : hommes;Conseil d'administration;"
        "Président·e;Secrétaire;Trésorier·e;Index de l'égalité professionnelle;Engagement : Autres\r\n"
        "Entreprise Exemple;14/03/2025 10:30;732 829 320 00074;3;7;oui;Femme;homme;Sans objet;non calculable;Oui\r\n"
    ).encode()

    import_annexes(organisation=organisation, content=content, filename="annexes.csv")

    response = AnnexResponse.objects.get()
    assert response.submitted_at == datetime.datetime(2025, 3, 14, 9, 30, tzinfo=datetime.UTC)
    assert (response.cadres_f, response.non_cadres_h) == (3, 7)
    assert (response.president, response.secretary, response.treasurer) == (
        OfficerGender.F,
        OfficerGender.H,
        OfficerGender.NOT_APPLICABLE,
    )
    assert response.commitment_other is True


def test_clause_hours_read_french_headings_dates_and_values(organisation):
    market = MarketFactory(
        organisation=organisation,
        reference="2026-B",
        insertion_hours_planned=Decimal(500),
        execution_start=datetime.date(2026, 1, 1),
        execution_end=datetime.date(2026, 12, 31),
    )
    content = (
        "Référence du marché;Identifiant participant·e;Sexe;SIRET de l'employeur;Métier;Dominante du métier;"
        "Type de contrat;Mois;Heures\r\n"
        "2026-B;P-1;Femme;732 829 320 00074;Peintre;à dominante féminine;intérim;03/2026;273,75\r\n"
        "2026-B;P-2;homme;73282932000074;Maçon;à dominante masculine;Contrat de professionnalisation;2026-03;10\r\n"
        "2026-B;P-3;NSP;73282932000074;Agent;Mixte;CDI;01/04/2026;5\r\n"
    ).encode()

    import_clause_hours(organisation=organisation, content=content, filename="heures.csv")

    missions = {mission.participant.reference: mission for mission in Mission.objects.filter(market=market)}
    assert missions["P-1"].participant.sex == "F"
    assert (missions["P-1"].job_dominance, missions["P-1"].contract_type) == (
        JobDominance.FEMALE,
        ContractType.INTERIM,
    )
    assert (missions["P-2"].job_dominance, missions["P-2"].contract_type) == (
        JobDominance.MALE,
        ContractType.CONTRAT_PRO,
    )
    assert missions["P-3"].job_dominance == JobDominance.MIXED
    months = sorted(HoursRecord.objects.values_list("month", flat=True))
    assert months == [datetime.date(2026, 3, 1), datetime.date(2026, 3, 1), datetime.date(2026, 4, 1)]
