"""Raw export of the responses: CSV (`;`, UTF-8 with BOM) and XLSX, the import's columns, re-importable."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
from django.db.models.expressions import Col
from django.urls import reverse

from procurement.enums import Role
from procurement.models import Market
from procurement.spreadsheets import neutralise, new_workbook, write_cell
from questionnaire import exports, selectors
from questionnaire.enums import EqualityIndexStatus, OfficerGender, ResponseSource
from questionnaire.exports import COLUMNS
from questionnaire.models import AnnexResponse
from questionnaire.services.annex_import import import_annexes
from tests.procurement.factories import MarketFactory
from tests.questionnaire.factories import AnnexResponseFactory, siret_with_luhn

COMMITMENT_KEYS = (
    "agreements",
    "action_plan",
    "training",
    "harassment_unit",
    "label",
    "partnerships",
    "events",
    "other",
)
CONTRACT_COLUMNS = [
    "siret",
    "name",
    "submitted_at",
    "market_reference",
    "cadres_f",
    "cadres_h",
    "cadres_nb",
    "cadres_nsp",
    "non_cadres_f",
    "non_cadres_h",
    "non_cadres_nb",
    "non_cadres_nsp",
    "has_board",
    "board_women_pct",
    "president",
    "secretary",
    "treasurer",
    "volunteers_women_pct",
    "policy_text",
    "index_score",
    *[name for key in COMMITMENT_KEYS for name in (f"commitment_{key}", f"commitment_{key}_detail")],
]


def export(client, file_format: str, **filters):
    return client.get(reverse("responses:export", args=[file_format]), filters)


def full_response(organisation, **values) -> AnnexResponse:
    market = MarketFactory(organisation=organisation, reference="2025-TRX-003", title="Réhabilitation du centre")
    defaults = {
        "organisation": organisation,
        "structure_name": '=HYPERLINK("http://evil.example")',
        "siret": siret_with_luhn("4128901230"),
        "market": market,
        "submitted_at": datetime.datetime(2025, 3, 14, 9, 30, 12, 345678, tzinfo=datetime.UTC),
        "cadres_f": 3,
        "cadres_h": 5,
        "non_cadres_f": 20,
        "non_cadres_h": 30,
        "non_cadres_nb": 1,
        "has_board": True,
        "board_women_pct": Decimal("37.50"),
        "president": OfficerGender.F,
        "secretary": OfficerGender.NOT_APPLICABLE,
        "volunteers_women_pct": Decimal("60"),
        "policy_text": "-10 % d'écart salarial visé",
        "equality_index_status": EqualityIndexStatus.SCORE,
        "equality_index_score": 88,
        "commitment_training": True,
        "commitment_training_detail": "@managers formés",
    }
    defaults.update(values)
    return AnnexResponseFactory(**defaults)


REGISTER_COLUMNS = [
    "published_index_year",
    "published_index",
    "published_index_check",
    "published_index_source",
    "register_headcount_bracket",
    "register_naf",
    "register_status",
    "register_checked_at",
]


def test_the_columns_are_the_import_columns_then_receipt_market_and_source_then_the_registers():
    # The public registers' columns are appended: the earlier columns and their order never change.
    assert [column.key for column in COLUMNS] == [
        *CONTRACT_COLUMNS,
        "receipt_number",
        "market_title",
        "source",
        *REGISTER_COLUMNS,
    ]


def test_neutralise_prefixes_formula_starts_only():
    assert [neutralise(text) for text in ("=1+1", "+33 6", "-2", "@SUM(A1)", "Bâtir", "")] == [
        "'=1+1",
        "'+33 6",
        "'-2",
        "'@SUM(A1)",
        "Bâtir",
        "",
    ]


def test_write_cell_skips_empty_values_writes_numbers_as_numbers_and_neutralises_text():
    output = io.BytesIO()
    workbook = new_workbook(output)
    sheet = workbook.add_worksheet("Feuille")
    for column, value in enumerate([None, "", 3, Decimal("42.50"), True, "=1+1", "Bâtir"]):
        write_cell(sheet, 0, column, value)
    workbook.close()

    cells = next(openpyxl.load_workbook(io.BytesIO(output.getvalue())).active.iter_rows(values_only=True))

    assert list(cells) == [None, None, 3, 42.5, "True", "'=1+1", "Bâtir"]


def test_csv_is_semicolon_separated_utf8_with_bom_and_neutralised(buyer_client, organisation):
    annex = full_response(organisation)

    download = export(buyer_client, "csv")

    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download["Content-Disposition"].startswith('attachment; filename="annexe-egalite-agglo-a-')
    assert download.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 1
    assert list(rows[0]) == [column.heading for column in COLUMNS]  # French headings
    row = {column.key: rows[0][column.heading] for column in COLUMNS}
    assert row["name"] == '\'=HYPERLINK("http://evil.example")'
    assert row["policy_text"] == "'-10 % d'écart salarial visé"
    assert row["commitment_training_detail"] == "'@managers formés"
    assert row["siret"] == annex.siret
    assert row["submitted_at"] == "2025-03-14 10:30:12+01:00"  # to the second: no microseconds
    assert row["market_reference"] == "2025-TRX-003"
    assert row["market_title"] == "Réhabilitation du centre"
    assert row["board_women_pct"] == "37,5"
    assert (row["president"], row["secretary"], row["treasurer"]) == ("F", "sans objet", "")
    assert row["has_board"] == "oui"
    assert row["index_score"] == "88"
    assert row["non_cadres_nb"] == "1"
    assert (row["commitment_training"], row["commitment_label"]) == ("oui", "non")
    assert row["receipt_number"] == annex.receipt_number
    assert row["source"] == "En ligne par la structure"


def test_xlsx_reads_back_with_openpyxl(buyer_client, organisation):
    annex = full_response(organisation)
    AnnexResponseFactory(
        organisation=organisation,
        structure_name="Association Sans Siret",
        siret="",
        equality_index_status=EqualityIndexStatus.NOT_COMPUTABLE,
        submitted_at=datetime.datetime(2024, 11, 5, 15, tzinfo=datetime.UTC),
    )

    download = export(buyer_client, "xlsx")

    assert download.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(download.content))
    sheet = workbook["Réponses"]
    header = [cell.value for cell in sheet[1]]
    assert header == [column.heading for column in COLUMNS]
    keys = [column.key for column in COLUMNS]
    rows = [dict(zip(keys, (cell for cell in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert len(rows) == 2
    older, newer = rows  # ordered by submission
    assert older["name"].value == "Association Sans Siret"
    assert older["siret"].value is None
    assert older["index_score"].value == "non calculable"
    assert newer["name"].value == '\'=HYPERLINK("http://evil.example")'
    assert newer["name"].data_type == "s"
    assert newer["cadres_f"].value == 3
    assert newer["cadres_f"].number_format == "0"
    assert newer["board_women_pct"].value == 37.5
    assert newer["board_women_pct"].number_format == "0.00"
    assert newer["index_score"].value == 88
    assert newer["receipt_number"].value == annex.receipt_number
    assert sheet["A1"].comment is not None
    assert "SIRET" in sheet["A1"].comment.text


def test_the_export_follows_the_list_filters(buyer_client, organisation, other_organisation):
    AnnexResponseFactory(organisation=organisation, structure_name="Importée", source=ResponseSource.IMPORT)
    AnnexResponseFactory(organisation=organisation, structure_name="En ligne")
    AnnexResponseFactory(organisation=other_organisation, structure_name="Voisine", source=ResponseSource.IMPORT)

    download = export(buyer_client, "csv", source="import")

    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig")), delimiter=";"))
    assert [row["Nom de la structure"] for row in rows] == ["Importée"]


def test_an_export_imports_back_without_any_change(buyer_client, organisation):
    full_response(organisation)
    AnnexResponseFactory(organisation=organisation, structure_name="Association Sans Siret", siret="")
    before = list(AnnexResponse.objects.order_by("pk").values())

    for file_format in ("csv", "xlsx"):
        content = export(buyer_client, file_format).content
        result = import_annexes(organisation=organisation, content=content, filename=f"export.{file_format}")
        assert (result.created, result.updated, result.unchanged) == (0, 0, 2)

    assert list(AnnexResponse.objects.order_by("pk").values()) == before


def test_an_export_imported_into_an_empty_organisation_recreates_the_answers(buyer_client, organisation):
    from tests.procurement.factories import OrganisationFactory

    original = full_response(organisation)
    target = OrganisationFactory(slug="cible")
    MarketFactory(organisation=target, reference="2025-TRX-003")

    import_annexes(organisation=target, content=export(buyer_client, "xlsx").content, filename="export.xlsx")

    copy = AnnexResponse.objects.get(organisation=target)
    assert copy.structure_name == original.structure_name  # the quote added against formulas is removed
    assert copy.policy_text == original.policy_text
    assert copy.commitment_training_detail == original.commitment_training_detail
    assert copy.submitted_at == original.submitted_at.replace(microsecond=0)  # the export writes seconds
    assert copy.board_women_pct == original.board_women_pct
    assert copy.staff_total == original.staff_total
    assert copy.source == ResponseSource.IMPORT


def test_unknown_format_is_404_and_facilitators_get_403(buyer_client, client_with_role):
    assert export(buyer_client, "pdf").status_code == 404
    client = client_with_role(Role.FACILITATOR)
    assert export(client, "csv").status_code == 403


def test_export_query_count_is_pinned(buyer_client, organisation, django_assert_max_num_queries):
    market = MarketFactory(organisation=organisation)
    for index in range(60):
        AnnexResponseFactory(organisation=organisation, market=market if index % 2 else None)

    with django_assert_max_num_queries(10):
        download = export(buyer_client, "xlsx")
    assert download.status_code == 200


def _selected_columns(queryset) -> set[str]:
    """The table columns the queryset's SELECT lists (annotations aside)."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    compiler.setup_query()
    return {
        f"{expression.target.model._meta.db_table}.{expression.target.column}"
        for expression, _, _ in compiler.select
        if isinstance(expression, Col)
    }


def test_the_export_selects_only_the_columns_it_writes(organisation):
    # A large export loaded every column of each response, of its market, lot and the person who entered it.
    responses = selectors.exported_responses(organisation=organisation, filters=selectors.ResponseFilters())
    own = {"id", "market_id", *(field for field in exports.FIELDS if "__" not in field)}

    assert _selected_columns(responses) == {
        *(f"questionnaire_annexresponse.{column}" for column in own),
        "procurement_market.id",
        "procurement_market.reference",
        "procurement_market.title",
    }


def test_the_fields_the_export_loads_are_the_fields_its_columns_read(organisation):
    # Every field left deferred is loaded on access: what the columns leave deferred is what they never read.
    # (A field they read but the export does not load would cost a query per row: see the query count below.)
    market = full_response(organisation, siren="412890123").market
    response = AnnexResponse.objects.only("id").get()
    response.market = Market.objects.only("id").get(pk=market.pk)

    for column in COLUMNS:
        column.value(response)

    own = {field.attname for field in AnnexResponse._meta.concrete_fields} - response.get_deferred_fields()
    assert own - {"id", "market_id"} == {field for field in exports.FIELDS if "__" not in field}
    read_from_market = {
        field.attname for field in Market._meta.concrete_fields
    } - response.market.get_deferred_fields()
    assert {f"market__{field}" for field in read_from_market - {"id"}} == {
        field for field in exports.FIELDS if field.startswith("market__")
    }
