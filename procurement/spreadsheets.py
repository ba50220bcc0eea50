"""The rules every file we hand out shares: formula neutralisation, XLSX writer options, content types.

Every exporter (annex responses in CSV and XLSX, statistics in XLSX, CSV, ODS and sentences, the clause report
workbook) and every view that serves a file imports them from here; the import side, which refuses formulas
instead, lives in `procurement.tabular`. No Django import: the OOXML engine may use it too.
"""

import io
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


def pandas_engine_kwargs(*, streaming: bool = False) -> dict[str, object]:
    """`engine_kwargs` for `pandas.ExcelWriter(..., engine="xlsxwriter")`: the same options."""
    return {"options": workbook_options(streaming=streaming)}
