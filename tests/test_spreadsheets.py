"""Every file we hand out keeps a typed formula as text: values starting with = + - @, a tab or a carriage return,
typed by a candidate, a buyer or an import, go through every exporter and are read back as neutralised text,
never as a formula (procurement.spreadsheets holds the rule)."""

import csv
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pandas as pd
import pytest
from django.urls import reverse

from analytics.exports.csv import build_csv
from analytics.exports.ods import build_ods
from analytics.exports.phrases import build_phrases
from analytics.exports.workbook import build_workbook
from analytics.indicators import KEYS, compute_indicators
from analytics.indicators import labels as indicator_labels
from analytics.views.exports import EXPORTS
from procurement import spreadsheets
from procurement.enums import Role
from procurement.spreadsheets import FORMULA_STARTS, neutralise, restore
from questionnaire.exports import COLUMNS
from tests.clauses.factories import HoursRecordFactory, InsertionClauseFactory, MissionFactory
from tests.procurement.factories import MarketFactory
from tests.questionnaire.factories import AnnexResponseFactory

# One value per start a spreadsheet would evaluate (a tab or a carriage return is dropped by Excel before it
# reads the rest as a formula).
HOSTILE = [
    '=HYPERLINK("http://evil.example";"cliquez")',
    "+33 6 12 34 56 78",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
]


def xlsx_text(value):
    """A cell's text as Excel reads it: openpyxl leaves a carriage return in its OOXML escape."""
    return value.replace("_x000D_", "\r") if isinstance(value, str) else value


def xlsx_cells(content: bytes) -> list:
    """Every non-empty cell of every sheet, formulas kept as formulas (not their cached values)."""
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return [
        cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None
    ]


def assert_xlsx_safe(content: bytes) -> list[str]:
    cells = xlsx_cells(content)
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    texts = [xlsx_text(cell.value) for cell in cells if isinstance(cell.value, str)]
    assert [text for text in texts if text.startswith(FORMULA_STARTS)] == []
    return texts


def test_neutralise_quotes_the_six_formula_starts_and_leaves_the_rest():
    assert [neutralise(value) for value in HOSTILE] == ["'" + value for value in HOSTILE]
    assert [neutralise(value) for value in ("Bâtir", "", "'=déjà", " =1")] == ["Bâtir", "", "'=déjà", " =1"]
    # Numbers stay numbers: a negative figure is not a formula.
    assert [neutralise(value) for value in (-2, Decimal("-1.5"), None)] == [-2, Decimal("-1.5"), None]
    assert [restore(neutralise(value)) for value in HOSTILE] == HOSTILE
    assert restore("'apostrophe") == "'apostrophe"


def test_every_xlsx_writer_writes_strings_as_strings():
    options = spreadsheets.workbook_options()
    assert options["strings_to_formulas"] is False
    assert options["strings_to_urls"] is False
    assert options["strings_to_numbers"] is False
    assert spreadsheets.workbook_options(streaming=True)["constant_memory"] is True


@pytest.fixture
def hostile_responses(organisation):
    for index, value in enumerate(HOSTILE):
        AnnexResponseFactory(
            organisation=organisation,
            structure_name=value,
            policy_text=value,
            commitment_training=True,
            commitment_training_detail=value,
            market=MarketFactory(organisation=organisation, reference=f"2025-{index}", title=value),
            submitted_at=datetime.datetime(2025, 3, 14, 9, index, tzinfo=datetime.UTC),
        )


def test_the_responses_csv_keeps_typed_formulas_as_text(buyer_client, hostile_responses):
    download = buyer_client.get(reverse("responses:export", args=["csv"]))

    assert download["Content-Type"] == spreadsheets.CSV
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    headings = {column.key: column.heading for column in COLUMNS}
    for column in ("name", "policy_text", "commitment_training_detail", "market_title"):
        assert sorted(row[headings[column]] for row in rows) == sorted("'" + value for value in HOSTILE), column


def test_the_responses_xlsx_keeps_typed_formulas_as_text(buyer_client, hostile_responses):
    download = buyer_client.get(reverse("responses:export", args=["xlsx"]))

    assert download["Content-Type"] == spreadsheets.XLSX
    texts = assert_xlsx_safe(download.content)
    for value in HOSTILE:
        # name, policy text, commitment detail and market title.
        assert texts.count("'" + value) == 4, value


def replace_labels(monkeypatch, values: list[str]) -> dict[str, str]:
    keys = KEYS[: len(values)]
    for key, value in zip(keys, values, strict=True):
        monkeypatch.setitem(indicator_labels.LABELS, key, value)
    return dict(zip(keys, values, strict=True))


@pytest.fixture
def hostile_labels(monkeypatch):
    """Indicator labels are ours, but every text cell of the statistics goes through the same rule: six labels
    are replaced by the hostile values to prove it."""
    return replace_labels(monkeypatch, HOSTILE)


@pytest.fixture
def indicator_set(organisation):
    return compute_indicators(
        organisations=organisation, start=datetime.date(2025, 1, 1), end=datetime.date(2025, 12, 31)
    )


def test_the_statistics_workbook_keeps_typed_formulas_as_text(indicator_set, hostile_labels):
    content = build_workbook(indicator_set, organisation_name=HOSTILE[0], secrecy_threshold=None)

    texts = assert_xlsx_safe(content)
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    labels = {row[1]: xlsx_text(row[0]) for row in workbook["Synthèse"].iter_rows(min_row=2, values_only=True)}
    assert {key: labels[key] for key in hostile_labels} == {key: "'" + value for key, value in hostile_labels.items()}
    assert workbook["Méthodologie"]["A2"].value.startswith("'" + HOSTILE[0] + ", du 01/01/2025")
    assert "'" + HOSTILE[0] in texts


def test_the_statistics_csv_keeps_typed_formulas_as_text(indicator_set, hostile_labels):
    content = build_csv(indicator_set, secrecy_threshold=None)

    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    labels = {row[1]: row[0] for row in rows[1:]}
    assert {key: labels[key] for key in hostile_labels} == {key: "'" + value for key, value in hostile_labels.items()}
    assert [cell for row in rows for cell in row if cell.startswith(FORMULA_STARTS)] == []


def test_the_statistics_ods_keeps_typed_formulas_as_text(indicator_set, monkeypatch):
    # Without the carriage return: odfpy writes it as a form feed, which no reader parses (a broken file,
    # neutralised or not). The ODS holds only our own texts, never one typed by a user.
    hostile_labels = replace_labels(monkeypatch, [value for value in HOSTILE if not value.startswith("\r")])

    content = build_ods(indicator_set, secrecy_threshold=None)

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"table:formula" not in archive.read("content.xml")
    sheets = pd.read_excel(io.BytesIO(content), engine="odf", sheet_name=None, header=None, dtype=object)
    summary = sheets["Synthèse"]
    labels = dict(zip(summary[1], summary[0], strict=True))
    assert {key: labels[key] for key in hostile_labels} == {key: "'" + value for key, value in hostile_labels.items()}
    methodology = dict(zip(sheets["Méthodologie"][0], sheets["Méthodologie"][1], strict=True))
    assert {key: methodology[key] for key in hostile_labels} == {
        key: "'" + value for key, value in hostile_labels.items()
    }
    cells = [cell for frame in sheets.values() for cell in frame.to_numpy().ravel() if isinstance(cell, str)]
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []


def test_the_report_sentences_are_plain_text(indicator_set, hostile_labels):
    text = build_phrases(indicator_set, secrecy_threshold=None).decode("utf-8")

    assert [line for line in text.splitlines() if line.startswith(FORMULA_STARTS)] == []
    assert {export.key: export.content_type for export in EXPORTS} == {
        "xlsx": spreadsheets.XLSX,
        "csv": spreadsheets.CSV,
        "ods": spreadsheets.ODS,
        "phrases": spreadsheets.TEXT,
        "docx": spreadsheets.DOCX,
    }


def test_the_clause_report_workbook_keeps_typed_formulas_as_text(client_with_role, organisation):
    organisation.name = HOSTILE[0]
    organisation.save()
    for index, value in enumerate(HOSTILE):
        market = InsertionClauseFactory(
            market__organisation=organisation,
            market__reference=value[:1] + f"REF-{index}",
            market__title=value,
            hours_planned=Decimal(100),
            start=datetime.date(2025, 1, 1),
            end=datetime.date(2025, 12, 31),
        ).market
        mission = MissionFactory(participant__organisation=organisation, market=market, job_label=value)
        HoursRecordFactory(mission=mission, month=datetime.date(2025, 3, 1), hours=Decimal(10))
    client = client_with_role(Role.ADMIN)

    download = client.get(reverse("clauses_report:workbook"), {"annee": 2025})

    assert download["Content-Type"] == spreadsheets.XLSX
    texts = assert_xlsx_safe(download.content)
    workbook = openpyxl.load_workbook(io.BytesIO(download.content))
    per_market = {
        xlsx_text(row[0]): xlsx_text(row[1]) for row in workbook["Par marché"].iter_rows(min_row=2, values_only=True)
    }
    assert per_market == {"'" + value[:1] + f"REF-{index}": "'" + value for index, value in enumerate(HOSTILE)}
    assert workbook["Synthèse"]["A1"].value == f"Clauses d'insertion 2025 — {HOSTILE[0]}"
    assert len(texts) > len(HOSTILE)
