"""The statistics workbook as an OpenDocument spreadsheet (odfpy), for LibreOffice users.

The same sheets, cells, number formats and column widths as the XLSX (analytics/exports/workbook.py), read back
from it cell by cell: one description of the workbook, two file formats. ODS has no chart here (the figures of each
chart are in the tables above it); its sheets print like the XLSX's (landscape, one page wide; the Titulaires
tables on the Engagements page, their own sheet not printed).
"""

import io
from datetime import date

import openpyxl
from odf import number as ods_number
from odf.opendocument import OpenDocumentSpreadsheet
from odf.style import (
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TextProperties,
)
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import P

from analytics import secrecy
from analytics.exports.workbook import FORMATS, METHODOLOGY_SHEET, SUMMARY_SHEET, TITULAIRES_SHEET, build_workbook
from analytics.indicators.base import IndicatorSet
from procurement import spreadsheets

CM_PER_CHARACTER = 0.2  # a spreadsheet column "character" (Calibri 11) is about 7 px wide
# How each sheet prints (as the XLSX: analytics.exports.workbook.print_setup): orientation and pages at most.
PRINT = {SUMMARY_SHEET: ("portrait", 1), METHODOLOGY_SHEET: ("portrait", 2)}
LANDSCAPE_ONE_PAGE = ("landscape", 1)


def build_ods(
    indicator_set: IndicatorSet,
    *,
    secrecy_threshold: int | None = secrecy.DEFAULT_THRESHOLD,
    organisation_name: str = "",
    with_clause_breakdowns: bool = False,
) -> bytes:
    workbook = openpyxl.load_workbook(
        io.BytesIO(
            build_workbook(
                indicator_set,
                organisation_name=organisation_name,
                secrecy_threshold=secrecy_threshold,
                with_clause_breakdowns=with_clause_breakdowns,
            )
        )
    )
    document = OpenDocumentSpreadsheet()
    styles = _Styles(document)
    for sheet in workbook.worksheets:
        table = Table(name=sheet.title, stylename=styles.page(*PRINT.get(sheet.title, LANDSCAPE_ONE_PAGE)))
        if sheet.title == TITULAIRES_SHEET:
            # As in the XLSX, its tables print on the Engagements page: the sheet itself prints no page.
            table.setAttribute("print", "false")
        widths = {
            index: dimension.width
            for letter, dimension in sheet.column_dimensions.items()
            for index in range(dimension.min or 1, (dimension.max or dimension.min or 1) + 1)
        }
        for index in range(1, sheet.max_column + 1):
            table.addElement(TableColumn(stylename=styles.column(widths.get(index) or 10)))
        for row in sheet.iter_rows():
            table_row = TableRow()
            for cell in row:
                table_row.addElement(
                    _cell(cell.value, cell.number_format, bold=bool(cell.font and cell.font.b), styles=styles)
                )
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    output = io.BytesIO()
    document.write(output)
    return output.getvalue()


class _Styles:
    """Column widths and the four number formats of the workbook (FORMATS), as ODS automatic styles."""

    def __init__(self, document: OpenDocumentSpreadsheet):
        self.document = document
        self.columns: dict[float, Style] = {}
        self.pages: dict[str, Style] = {}
        percent = ods_number.PercentageStyle(name="percent")
        percent.addElement(ods_number.Number(decimalplaces="2", minintegerdigits="1"))
        percent.addElement(ods_number.Text(text="\u00a0%"))
        points = ods_number.NumberStyle(name="points")
        points.addElement(ods_number.Number(decimalplaces="2", minintegerdigits="1"))
        points.addElement(ods_number.Text(text="\u00a0%"))
        decimal = ods_number.NumberStyle(name="decimal")
        decimal.addElement(ods_number.Number(decimalplaces="2", minintegerdigits="1", grouping="true"))
        integer = ods_number.NumberStyle(name="integer")
        integer.addElement(ods_number.Number(decimalplaces="0", minintegerdigits="1", grouping="true"))
        self.cells = {}
        for kind, data_style in (("percent", percent), ("points", points), ("decimal", decimal), ("integer", integer)):
            document.automaticstyles.addElement(data_style)
            style = Style(name=f"cell-{kind}", family="table-cell", datastylename=kind)
            document.automaticstyles.addElement(style)
            self.cells[FORMATS[kind]] = style
        self.bold = Style(name="cell-bold", family="table-cell")
        self.bold.addElement(TextProperties(fontweight="bold"))
        self.wrap = Style(name="cell-text", family="table-cell")
        self.wrap.addElement(TableCellProperties(wrapoption="wrap", verticalalign="top"))
        self.wrap.addElement(ParagraphProperties())
        document.automaticstyles.addElement(self.bold)
        document.automaticstyles.addElement(self.wrap)

    def page(self, orientation: str, pages: int) -> Style:
        """A table style whose master page prints A4 in this orientation, scaled to at most `pages` pages."""
        name = f"{orientation}-{pages}"
        if name not in self.pages:
            width, height = ("29.7cm", "21cm") if orientation == "landscape" else ("21cm", "29.7cm")
            layout = PageLayout(name=f"page-{name}")
            layout.addElement(
                PageLayoutProperties(
                    printorientation=orientation,
                    pagewidth=width,
                    pageheight=height,
                    margin="1cm",
                    scaletopages=str(pages),
                )
            )
            self.document.automaticstyles.addElement(layout)
            self.document.masterstyles.addElement(MasterPage(name=f"master-{name}", pagelayoutname=layout))
            style = Style(name=f"table-{name}", family="table", masterpagename=f"master-{name}")
            style.addElement(TableProperties(display="true"))
            self.document.automaticstyles.addElement(style)
            self.pages[name] = style
        return self.pages[name]

    def column(self, width: float) -> Style:
        width = round(float(width), 1)
        if width not in self.columns:
            style = Style(name=f"column-{len(self.columns)}", family="table-column")
            style.addElement(TableColumnProperties(columnwidth=f"{width * CM_PER_CHARACTER:.2f}cm"))
            self.document.automaticstyles.addElement(style)
            self.columns[width] = style
        return self.columns[width]


def _cell(value, number_format: str, *, bold: bool, styles: _Styles) -> TableCell:
    if value is None:
        return TableCell()
    if isinstance(value, bool):
        value = "oui" if value else "non"
    if isinstance(value, int | float):
        style = styles.cells.get(number_format)
        kind = "percentage" if number_format == FORMATS["percent"] else "float"
        cell = TableCell(valuetype=kind, value=value, **({"stylename": style} if style else {}))
        return cell
    if isinstance(value, date):
        value = value.strftime("%d/%m/%Y")
    cell = TableCell(valuetype="string", stylename=styles.bold if bold else styles.wrap)
    cell.addElement(P(text=spreadsheets.neutralise(str(value))))  # already neutral in the XLSX: a no-op
    return cell
