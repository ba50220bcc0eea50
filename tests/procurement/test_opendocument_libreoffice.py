"""Headless LibreOffice converts the XLSX model of each import, and workbooks of typed cells, merged cells and
hidden rows, to ODS: each ODS reads as the same rows as its XLSX, and the model imports as it is."""

import datetime
import io
import zipfile

import openpyxl
import pytest

from clauses.services.hours_import import IMPORT_COLUMNS as HOURS_COLUMNS
from clauses.services.hours_import import import_clause_hours
from procurement.services.market_import import IMPORT_COLUMNS as MARKET_COLUMNS
from procurement.services.market_import import import_markets
from procurement.tabular import model_file, read_table
from questionnaire.services.annex_import import MODEL_COLUMNS, import_annexes
from tests.hostile_imports import HEADERS, valid_rows
from tests.test_import_models import clause_market_of_the_examples
from tests.utils import libreoffice_convert, require_soffice, xlsx_bytes

IMPORTS = {
    "markets": (MARKET_COLUMNS, import_markets),
    "annexes": (MODEL_COLUMNS, import_annexes),
    "clause_hours": (HOURS_COLUMNS, import_clause_hours),
}


@pytest.fixture(scope="module")
def converted(tmp_path_factory) -> dict[str, tuple[bytes, bytes]]:
    """name -> (the XLSX, the ODS LibreOffice made of it), converted in one run of soffice."""
    soffice = require_soffice()
    folder = tmp_path_factory.mktemp("libreoffice")
    workbooks = {}
    for path, (columns, _service) in IMPORTS.items():
        workbooks[f"modele-{path}"] = model_file(columns, file_format="xlsx", title="Modèle")
        # Typed cells: numbers, dates as dates (openpyxl), texts with accents.
        rows = valid_rows(path, 30)
        rows[1] = [datetime.date(2026, 1, 15) if str(value).startswith("2026-01-15") else value for value in rows[1]]
        workbooks[f"lignes-{path}"] = xlsx_bytes(rows)
    workbooks["formats"] = formats_workbook()
    for state in HIDDEN_STATES:
        workbooks[f"masquee-{state}"] = hidden_first_sheet_workbook(state)
    paths = []
    for name, content in workbooks.items():
        paths.append(folder / f"{name}.xlsx")
        paths[-1].write_bytes(content)
    completed = libreoffice_convert(soffice, paths, to="ods", folder=folder)
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    return {name: (content, (folder / "ods" / f"{name}.ods").read_bytes()) for name, content in workbooks.items()}


FORMATS_COLUMNS = ["reference", "montant", "date", "heure", "taux", "texte"]


def formats_workbook() -> bytes:
    """Cells of each kind a person types, with their formats: a whole and a decimal number, a date, a date and time,
    a time, a percentage, an amount in euros, a text on two lines; a merged cell, a hidden row, an empty row."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Données"
    sheet.append(FORMATS_COLUMNS)
    sheet.append(["R1", 350, datetime.date(2026, 1, 15), datetime.datetime(2026, 1, 15, 10, 30), 0.45, "deux\nlignes"])
    sheet.append(["R2", 350.5, datetime.date(2026, 2, 1), datetime.time(14, 5), 1.5, "  espaces  autour  "])
    sheet.append([])
    sheet.append(["Fusion", None, datetime.date(2026, 3, 31), None, None, "après la ligne vide"])
    sheet.append(["R4", 12500, None, None, None, "cachée"])
    sheet["C2"].number_format = "DD/MM/YYYY"
    sheet["D3"].number_format = "HH:MM"
    sheet["E2"].number_format = "0%"
    sheet["B6"].number_format = '#,##0.00 "€"'
    sheet.merge_cells("A5:B5")
    sheet.row_dimensions[6].hidden = True
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


HIDDEN_STATES = ["hidden", "veryHidden"]


def hidden_first_sheet_workbook(state: str) -> bytes:
    """The lists of a data validation on a hidden first sheet, the data on the second, as people build them."""
    workbook = openpyxl.Workbook()
    lists = workbook.active
    lists.title = "Listes"
    for value in ("oui", "non"):
        lists.append([value])
    lists.sheet_state = state
    data = workbook.create_sheet("Données")
    data.append(FORMATS_COLUMNS[:2])
    data.append(["R1", 350])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _rows(content: bytes, filename: str, *, allowed: list[str], columns=()) -> list:
    return read_table(content, filename=filename, allowed=allowed, required=[], columns=columns).rows


@pytest.mark.parametrize("path", sorted(IMPORTS))
def test_libreoffice_s_ods_of_each_model_reads_as_the_xlsx_and_imports(converted, organisation, path):
    columns, service = IMPORTS[path]
    xlsx, ods = converted[f"modele-{path}"]
    assert ods[30:38] == b"mimetype"  # LibreOffice's own package, mimetype first

    names = [column.name for column in columns]
    from_ods = _rows(ods, "modele.ods", allowed=names, columns=columns)
    assert from_ods == _rows(xlsx, "modele.xlsx", allowed=names, columns=columns)
    assert len(from_ods) == 1
    if path == "clause_hours":
        clause_market_of_the_examples(organisation)
    result = service(organisation=organisation, content=ods, filename="modele.ods")
    assert (result.rows if hasattr(result, "rows") else result.created + result.unchanged) == 1


@pytest.mark.parametrize("path", sorted(IMPORTS))
def test_libreoffice_s_ods_of_typed_cells_reads_as_the_xlsx(converted, path):
    xlsx, ods = converted[f"lignes-{path}"]

    from_ods = _rows(ods, "lignes.ods", allowed=HEADERS[path])

    assert from_ods == _rows(xlsx, "lignes.xlsx", allowed=HEADERS[path])
    assert len(from_ods) == 30


def test_libreoffice_s_ods_of_formatted_merged_and_hidden_cells_reads_as_the_xlsx(converted):
    xlsx, ods = converted["formats"]

    from_ods = _rows(ods, "formats.ods", allowed=FORMATS_COLUMNS)

    assert from_ods == _rows(xlsx, "formats.xlsx", allowed=FORMATS_COLUMNS)
    assert [line for line, _row in from_ods] == [2, 3, 5, 6]
    assert from_ods[0][1] == {
        "reference": "R1",
        "montant": "350",
        "date": "2026-01-15",
        "heure": "2026-01-15T10:30:00",
        "taux": "45\u00a0%",
        "texte": "deux\nlignes",
    }
    assert from_ods[3][1]["montant"] == "12500"


@pytest.mark.parametrize("state", HIDDEN_STATES)
def test_libreoffice_s_ods_of_a_hidden_first_sheet_reads_the_data_sheet_as_the_xlsx(converted, state):
    xlsx, ods = converted[f"masquee-{state}"]
    # LibreOffice hides the sheet by its table style (table:display="false"), declared before the sheets.
    with zipfile.ZipFile(io.BytesIO(ods)) as archive:
        content = archive.read("content.xml")
    assert b'table:display="false"' in content
    assert content.index(b'table:display="false"') < content.index(b'table:name="Listes"')

    from_ods = _rows(ods, "masquee.ods", allowed=FORMATS_COLUMNS[:2])

    assert from_ods == [(2, {"reference": "R1", "montant": "350"})]
    assert from_ods == _rows(xlsx, "masquee.xlsx", allowed=FORMATS_COLUMNS[:2])
