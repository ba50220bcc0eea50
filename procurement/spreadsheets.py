"""The rules every file we hand out shares: formula neutralisation, XLSX writer options, content types; and the
model files of the imports (CSV, XLSX, ODS).

Every exporter (annex responses in CSV and XLSX, statistics in XLSX, CSV, ODS and sentences, the clause report
workbook) and every view that serves a file imports them from here; the import side, which refuses formulas
instead, lives in `procurement.tabular`. No Django import: the OOXML engine may use it too.
"""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, TypeVar

# Content types of the files the platform serves or accepts (one spelling each).
CSV = "text/csv; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
PDF = "application/pdf"
SVG = "image/svg+xml"
# A stored upload whose type was not recorded: the browser downloads it without guessing.
BINARY = "application/octet-stream"

# A cell starting with one of these is run as a formula by a spreadsheet (`=HYPERLINK(...)`, `+1`, `-1+1`,
# `@SUM(...)`), and Excel drops a leading tab or carriage return before reading the rest as one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

T = TypeVar("T")


def neutralise(value: T) -> T | str:
    """A text a spreadsheet would evaluate is kept as text by a leading quote; anything else is returned as is
    (numbers stay numbers: a negative figure is not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(text: str) -> str:
    """What `neutralise` wrote, read back by an import: the leading quote goes, the text stays as typed."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


def workbook_options(*, streaming: bool = False) -> dict[str, object]:
    """xlsxwriter's options for every workbook: a string is always written as a string (never read as a formula,
    a link or a number), dates read French style. `streaming` (constant_memory) sends each row to a temporary
    file as soon as it is written, so a 100,000-row export stays small in memory; only for a writer that fills
    rows in order and never goes back to an earlier row (pandas' to_excel followed by header rewrites does)."""
    return {
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
        "default_date_format": "dd/mm/yyyy",
        "constant_memory": streaming,
    }


def new_workbook(output: IO[bytes] | io.BytesIO, *, streaming: bool = False):
    """An xlsxwriter Workbook writing to `output`, with the options above."""
    import xlsxwriter

    return xlsxwriter.Workbook(output, workbook_options(streaming=streaming))


def write_cell(sheet, row: int, column: int, value: object, number_format=None) -> None:
    """A value in an xlsxwriter sheet as every export writes a data cell: nothing for None or "", a number for an int
    or a Decimal (not a boolean), anything else as text, neutralised."""
    if value is None or value == "":
        return
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        sheet.write_number(row, column, float(value) if isinstance(value, Decimal) else value, number_format)
    else:
        sheet.write_string(row, column, neutralise(str(value)))


def pandas_engine_kwargs(*, streaming: bool = False) -> dict[str, object]:
    """`engine_kwargs` for `pandas.ExcelWriter(..., engine="xlsxwriter")`: the same options."""
    return {"options": workbook_options(streaming=streaming)}


def csv_cell(value: object) -> str:
    """A value as a French spreadsheet reads it in a CSV: empty for None, a decimal comma, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # French spreadsheets read a decimal comma; our imports read both.
        return format(value.normalize(), "f").replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def french_csv(*, headings: list[str], rows: Iterable[Iterable[object]]) -> bytes:
    """A CSV a French spreadsheet opens without asking: `;`-separated, CRLF, UTF-8 with BOM, cells by `csv_cell`."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(headings)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def model_csv(*, headings: list[str], example: list[str]) -> bytes:
    """The model CSV of an import: French headings and one example row."""
    return french_csv(headings=headings, rows=[example])


DATA_SHEET = "Données"
README_SHEET = "Lisez-moi"
README_HEADINGS = ("Colonne", "Nom technique (accepté aussi)", "Obligatoire", "Contenu")
README_INTRODUCTION = (
    "Remplissez la feuille « Données » (une ligne par enregistrement, la ligne d'exemple remplacée), sans changer "
    "les en-têtes, puis importez ce fichier. Les colonnes peuvent être dans n'importe quel ordre."
)
# Widths of the model's columns, in characters: each heading's, within these bounds; the « Lisez-moi » columns'.
MODEL_COLUMN_WIDTH = (14, 40)
README_WIDTHS = (34, 26, 12, 80)


def model_xlsx(*, headings: list[str], example: list[str], readme: list[tuple[str, ...]], title: str) -> bytes:
    """The model workbook of an import: a first sheet with the French headings and one example row (the sheet
    an import reads), then a « Lisez-moi » sheet describing each column. Every cell is text, as typed."""
    output = io.BytesIO()
    workbook = new_workbook(output)
    bold = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    sheet = workbook.add_worksheet(DATA_SHEET)
    for index, (heading, value) in enumerate(zip(headings, example, strict=True)):
        sheet.write_string(0, index, heading, bold)
        if value:
            sheet.write_string(1, index, neutralise(value))
        sheet.set_column(index, index, _model_width(heading))
    sheet.freeze_panes(1, 0)
    notes = workbook.add_worksheet(README_SHEET)
    notes.write_string(0, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
    notes.write_string(1, 0, README_INTRODUCTION)
    for index, heading in enumerate(README_HEADINGS):
        notes.write_string(3, index, heading, bold)
    for row, line in enumerate(readme, start=4):
        for index, value in enumerate(line):
            notes.write_string(row, index, neutralise(value), wrap)
    for index, width in enumerate(README_WIDTHS):
        notes.set_column(index, index, width)
    workbook.close()
    return output.getvalue()


def _model_width(heading: str) -> int:
    narrowest, widest = MODEL_COLUMN_WIDTH
    return max(narrowest, min(widest, len(heading) + 4))


def model_ods(*, headings: list[str], example: list[str], readme: list[tuple[str, ...]], title: str) -> bytes:
    """The model workbook of an import as an OpenDocument spreadsheet (LibreOffice), with odfpy: the sheets and
    cells of `model_xlsx`, every cell text."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style, TableCellProperties, TableColumnProperties, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.teletype import addTextToElement
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    bold = Style(name="bold", family="table-cell")
    bold.addElement(TextProperties(fontweight="bold"))
    bold.addElement(TableCellProperties(wrapoption="wrap", verticalalign="top"))
    title_style = Style(name="title", family="table-cell")
    title_style.addElement(TextProperties(fontweight="bold", fontsize="14pt"))
    wrap = Style(name="wrap", family="table-cell")
    wrap.addElement(TableCellProperties(wrapoption="wrap", verticalalign="top"))
    for style in (bold, title_style, wrap):
        document.automaticstyles.addElement(style)
    widths: dict[int, Style] = {}

    def column(table, width: int) -> None:
        if width not in widths:
            # A column « character » is about 0.2 cm wide, as in the statistics workbook (analytics/exports/ods.py).
            widths[width] = Style(name=f"column-{width}", family="table-column")
            widths[width].addElement(TableColumnProperties(columnwidth=f"{width * 0.2:.1f}cm"))
            document.automaticstyles.addElement(widths[width])
        table.addElement(TableColumn(stylename=widths[width]))

    def row(table, values, style=None) -> None:
        table_row = TableRow()
        for value in values:
            if not value:
                table_row.addElement(TableCell())
                continue
            cell = TableCell(valuetype="string", **({"stylename": style} if style else {}))
            paragraph = P()
            addTextToElement(paragraph, neutralise(value))
            cell.addElement(paragraph)
            table_row.addElement(cell)
        table.addElement(table_row)

    data = Table(name=DATA_SHEET)
    for heading in headings:
        column(data, _model_width(heading))
    row(data, headings, bold)
    row(data, example)
    notes = Table(name=README_SHEET)
    for width in README_WIDTHS:
        column(notes, width)
    row(notes, [title], title_style)
    row(notes, [README_INTRODUCTION])
    row(notes, [])
    row(notes, README_HEADINGS, bold)
    for line in readme:
        row(notes, line, wrap)
    document.spreadsheet.addElement(data)
    document.spreadsheet.addElement(notes)
    output = io.BytesIO()
    document.write(output)
    return output.getvalue()
