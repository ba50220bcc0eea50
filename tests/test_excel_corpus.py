"""XLSX imports against workbooks nobody here wrote (tests/corpus/imports/excel/, with its README) and workbooks
written by this machine's LibreOffice: `read_table` reads, with `allowed` set to each file's own first row, the same
texts as openpyxl's full reader, or refuses the file with a French reason; it never raises anything else."""

import datetime
import io
import warnings
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.formula import ArrayFormula

from procurement.tabular import FORMULA_REASON, UNREADABLE_XLSX, ImportRejected, _cell_text, _xlsx_rows, read_table
from tests.utils import libreoffice_convert, require_soffice

# openpyxl warns about the parts of real workbooks it does not read (data validation, print areas…).
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")

CORPUS = Path(__file__).resolve().parent / "corpus" / "imports" / "excel"
FORMULAS = "les formules ne sont pas acceptées"
EMPTY_FIRST_SHEET = "La première feuille du classeur (« {} ») est vide : l'import lit la première feuille."
MORE_VALUES = "la ligne a plus de valeurs que l'en-tête n'a de colonnes"
NO_ROW = "Le fichier ne contient aucune ligne de données sous l'en-tête."

# Workbooks read as openpyxl's full reader reads them (the rows it finds, their texts).
READ = [
    "agate-ne_1033_data.xlsx",  # 1,036 rows of dates and numbers
    "agate-test.xlsx",  # Excel for Mac, 1904 date system, booleans, dates and date-times
    "agate-test_ambiguous_date.xlsx",  # serial 1 in the 1900 system (1900-01-01)
    "tablib-bad_dimensions.xlsx",  # LibreOffice: a dimension of A1:AMJ1048576, rows formatted down to 1,048,576
    "tablib-founders.xlsx",
    "tablib-ragged.xlsx",  # rows of different lengths
    "xlrd-apachepoi_52348.xlsx",  # inline strings, merged cells, a blank first row
    "xlsx2csv-empty_row.xlsx",
    "xlsx2csv-input-weird.xlsx",  # inline strings, t="str" cells, merged cells
    "xlsx2csv-last-column-empty.xlsx",
    "xlsx2csv-namespace.xlsx",  # the sheet's XML under an unusual namespace prefix
    "xlsx2csv-no_cell_ids.xlsx",  # cells without their reference (r="A1")
    "xlsx2csv-sheets.xlsx",
    "xlsx2csv-skip_empty_lines.xlsx",
    "xlsx2csv-timeformat.xlsx",  # date-times and times
    "xlsx2csv-twolettercolumns.xlsx",
    "xlsx2csv-utf8.xlsx",  # Thai, Japanese, Russian, rich text
    "xlsx2csv-variousdelim.xlsx",
    "xlsx2csv-xlsx2csv-test-file.xlsx",
]
# Workbooks refused, each with the beginning of its French reason.
REFUSED = {
    "agate-test_empty.xlsx": EMPTY_FIRST_SHEET.format("Sheet1"),
    "agate-test_sheets.xlsx": EMPTY_FIRST_SHEET.format("not this sheet"),  # the data is on the second sheet
    "xlrd-merged_cells.xlsx": EMPTY_FIRST_SHEET.format("Sheet1"),
    "xlrd-test_comments_excel.xlsx": EMPTY_FIRST_SHEET.format("Sheet1"),
    # The first line is the header, blank here: the rows under it are longer.
    "agate-test_skip_lines.xlsx": f"ligne 4 : — : {MORE_VALUES}",
    "xlsx2csv-float.xlsx": f"ligne 2 : — : {MORE_VALUES}",
    "agate-test_numeric_column_name.xlsx": f"ligne 2 : — : {MORE_VALUES}",  # a third value, no third heading
    "xlsx2csv-junk-small.xlsx": "Colonnes en double : 2008-07-25.",
    "xlsx2csv-sheets_order.xlsx": f"ligne 2 : y : {FORMULAS}",
    "xlrd-reveng1.xlsx": f"ligne 2 : calculated : {FORMULAS}",  # formulas, error values (#DIV/0!)
    "tablib-xlsx_cell_values.xlsx": NO_ROW,  # a header only (a formula)
    "xlsx2csv-datetime.xlsx": NO_ROW,
    "xlsx2csv-escape.xlsx": NO_ROW,
    "xlrd-text_bar.xlsx": NO_ROW,
    "xlsx2csv-float2.xlsx": NO_ROW,  # one row of numbers and percentages, then styled empty rows
    # Parts that openpyxl cannot open (a shared strings part declared but absent, or named « SharedStrings.xml »,
    # a style attribute it does not know): refused as unreadable, never a server error.
    "xlsx2csv-formatted_inline_string.xlsx": UNREADABLE_XLSX,
    "xlrd-self_evaluation_report_2014-05-19.xlsx": UNREADABLE_XLSX,
    # Read once its « SharedStrings.xml » is found; its first line, the header, is blank.
    "xlrd-err_cell_empty.xlsx": f"ligne 2 : — : {MORE_VALUES}",
}
# Read by the import, but not by openpyxl's full reader (a drawing part is missing, part names in another case
# than declared): the rows it finds.
READ_WITHOUT_REFERENCE = {"agate-covid_19-iss.xlsx": 4, "xlrd-lower-case-part-names.xlsx": 38}
# Excel 2013's Strict workbooks (README), which openpyxl's full reader cannot open: the rows of their first sheet, as
# their XML writes them (shared strings looked up by hand).
STRICT = {
    "poi-sample.strict.xlsx": [
        ("Lorem", 111),
        ("ipsum", 222),
        ("dolor", 333),
        ("sit", 444),
        ("amet", 555),
        ("consectetuer", 666),
        ("adipiscing", 777),
        ("elit", 888),
        ("Nunc", 999),
        ("at", "=SUM(B1:B9)"),
    ],
    "poi-SimpleStrict.xlsx": [
        ("test", None, 1),
        ("test 2", None, 2),
        *((None, None, number) for number in range(3, 7)),
    ],
    "poi-SampleSS.strict.xlsx": [("Test spreadsheet",), ("2nd row", "2nd row 2nd column"), (), ("This one is red",)],
}


def _header_texts(content: bytes) -> list[str]:
    """The file's first row, as `allowed`: the import reads its own headings back."""
    workbook = _reference_workbook(content)
    worksheet = workbook.worksheets[0]
    cells = next(worksheet.iter_rows(min_row=1, max_row=1), ())
    return list(dict.fromkeys(text.lower() for text in map(_reference_text, cells) if text))


def _reference_workbook(content: bytes):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about extensions it does not read (data validation…)
        return openpyxl.load_workbook(io.BytesIO(content), read_only=False, data_only=False)


def _reference_text(cell) -> str:
    """The cell's text, from openpyxl's full reader: a number as written, « 45 % » for 0.45 in a percent format
    (as the sheet shows it, and as procurement/opendocument.py reads an ODS percentage), a boolean « VRAI » or
    « FAUX » (as a French spreadsheet shows it), and so its constants =TRUE() and =FALSE()."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return f"{(Decimal(repr(value)) * 100).normalize():f}\u00a0%"
    if isinstance(value, float):
        return f"{Decimal(repr(value)).normalize():f}"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        minutes, seconds = divmod(round(value.total_seconds()), 60)
        return f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}"
    if isinstance(value, ArrayFormula):
        return value.text
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    # A boolean as LibreOffice writes one it read from an XLSX: <f aca="false">FALSE()</f> (xlsx2csv-escape.xlsx); a
    # text cell reading so stays a text.
    if (
        cell.data_type == "f"
        and isinstance(value, str)
        and value.strip().upper() in ("=TRUE()", "=TRUE", "=FALSE()", "=FALSE")
    ):
        return "VRAI" if "TRUE" in value.upper() else "FAUX"
    return str(value).strip()


def _reference_rows(content: bytes) -> list[tuple[int, dict[str, str]]]:
    worksheet = _reference_workbook(content).worksheets[0]
    rows = list(worksheet.iter_rows(min_row=1))
    names = [_reference_text(cell).lower() for cell in rows[0]]
    expected = []
    for line, cells in enumerate(rows[1:], start=2):
        texts = [_reference_text(cell) for cell in cells]
        if any(texts):
            expected.append((line, {name: text for name, text in zip(names, texts, strict=False) if name}))
    return expected


def _read(content: bytes, *, allowed: list[str]):
    return read_table(content, filename="classeur.xlsx", allowed=allowed, required=[])


def test_the_corpus_is_listed_in_its_readme_and_stays_small():
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    files = sorted(path.name for path in CORPUS.glob("*.xlsx"))

    assert files == sorted([*READ, *REFUSED, *READ_WITHOUT_REFERENCE, *STRICT])
    assert all(f"`{name}`" in readme for name in files)
    assert sum((CORPUS / name).stat().st_size for name in files) < 2 * 1024 * 1024


@pytest.mark.parametrize("name", READ)
def test_a_real_workbook_reads_as_openpyxls_full_reader_reads_it(name):
    content = (CORPUS / name).read_bytes()

    table = _read(content, allowed=_header_texts(content))

    assert [(line, {k: v for k, v in row.items() if v}) for line, row in table.rows] == [
        (line, {k: v for k, v in row.items() if v}) for line, row in _reference_rows(content)
    ]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_real_workbook_that_cannot_be_imported_is_refused_with_a_french_reason(name):
    content = (CORPUS / name).read_bytes()
    try:
        allowed = _header_texts(content)
    except Exception:  # the reference reader cannot open it either  # noqa: BLE001
        allowed = []

    with pytest.raises(ImportRejected) as refusal:
        _read(content, allowed=allowed)

    assert str(refusal.value.errors[0]).startswith(REFUSED[name])


@pytest.mark.parametrize("name", sorted(READ_WITHOUT_REFERENCE))
def test_a_workbook_openpyxls_full_reader_cannot_open_is_still_read(name):
    content = (CORPUS / name).read_bytes()
    # The import's own first row (for covid_19-iss.xlsx, its declared dimension A1:A… would hide « Links »).
    rows = _xlsx_rows(content, limited=True, max_rows=None)
    header = next(rows)
    rows.close()

    table = _read(content, allowed=[_cell_text(value).lower() for value in header if _cell_text(value)])

    assert len(table.rows) == READ_WITHOUT_REFERENCE[name]


@pytest.mark.parametrize("name", sorted(STRICT))
def test_a_strict_workbook_saved_by_excel_is_read(name):
    content = (CORPUS / name).read_bytes()
    # openpyxl alone finds no sheet in it (the import once refused it as « Le fichier est vide. »).
    assert not _reference_workbook(content).worksheets

    assert list(_xlsx_rows(content, limited=True, max_rows=None)) == STRICT[name]


def test_a_strict_workbook_is_imported_or_refused_as_the_same_transitional_one():
    simple = _read((CORPUS / "poi-SimpleStrict.xlsx").read_bytes(), allowed=["test", "1"])
    assert simple.rows == [
        (line, {"test": text, "1": str(line)}) for line, text in [(2, "test 2"), *((n, "") for n in range(3, 7))]
    ]

    with pytest.raises(ImportRejected) as refusal:
        _read((CORPUS / "poi-sample.strict.xlsx").read_bytes(), allowed=["lorem", "111"])
    assert refusal.value.errors == [f"ligne 10 : 111 : {FORMULA_REASON}"]


STRICT_NAMES = {
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
    b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties"
    ),
}


def as_strict(content: bytes) -> bytes:
    """A Transitional workbook written with the Strict names Excel gives a « Feuille de calcul Open XML stricte »
    (the names of the poi- files of the corpus): every namespace and relationship type mapped, nothing else."""

    def strict(xml: bytes) -> bytes:
        for transitional, strict_name in STRICT_NAMES.items():
            xml = xml.replace(transitional, strict_name)
        return xml

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, strict(source.read(info)))
    return buffer.getvalue()


def test_a_strict_workbook_imports_its_markets(organisation):
    from procurement.models import Market
    from procurement.services.market_import import import_markets
    from tests.utils import xlsx_bytes

    transitional = xlsx_bytes(
        [
            ["Référence", "Objet", "Type", "Date de publication", "Base vie", "Montant estimé"],
            ["2026-S-01", "Voirie", "Travaux", datetime.date(2026, 11, 20), True, 850000.5],
        ]
    )
    content = as_strict(transitional)
    assert b"purl.oclc.org/ooxml/spreadsheetml/main" in _part(content, "xl/worksheets/sheet1.xml")
    assert b"schemas.openxmlformats.org" not in _part(content, "_rels/.rels").replace(
        b"schemas.openxmlformats.org/package/2006/relationships", b""
    )

    import_markets(organisation=organisation, content=content, filename="marches.xlsx")

    market = Market.objects.get(reference="2026-S-01")
    assert (market.published_on, market.has_base_vie, market.estimated_amount) == (
        datetime.date(2026, 11, 20),
        True,
        Decimal("850000.50"),
    )


def test_texts_match_what_the_source_projects_expect():
    """Independently of openpyxl: the values agate and xlsx2csv assert for their own files."""
    agate = _read((CORPUS / "agate-test.xlsx").read_bytes(), allowed=["number", "text", "boolean", "date", "datetime"])
    # agate: (1, 'a', True, '11/4/2015', '11/4/2015 12:22 PM'), (2, '👍', False, '11/5/2015', '11/4/2015 12:45 PM');
    # the workbook counts its dates from 1904.
    assert agate.rows[:2] == [
        (2, {"number": "1", "text": "a", "boolean": "VRAI", "date": "2015-11-04", "datetime": "2015-11-04T12:22:00"}),
        (
            3,
            {"number": "2", "text": "👍", "boolean": "FAUX", "date": "2015-11-05", "datetime": "2015-11-04T12:45:00"},
        ),
    ]
    # xlsx2csv's timeformat.csv: 14:40, 11:30, 00:01 under « 03-08-2017 14:35:00 » (formats of minutes).
    times = _read((CORPUS / "xlsx2csv-timeformat.xlsx").read_bytes(), allowed=["2017-08-03t14:35:00", "14:40:30"])
    assert [row["14:40:30"] for _, row in times.rows] == ["11:30:00", "00:01:59"]
    # tablib asserts 3 rows for bad_dimensions.xlsx.
    bad_dimensions = _read((CORPUS / "tablib-bad_dimensions.xlsx").read_bytes(), allowed=["pn", "qty", "price"])
    assert [line for line, _ in bad_dimensions.rows] == [2, 3, 4]


def test_a_workbook_whose_part_names_differ_from_the_declared_ones_is_read():
    """xlrd-lower-case-part-names.xlsx stores « [content_types].xml » and « xl/sharedstrings.xml », and declares
    « /xl/sharedStrings.xml »; Office reads it, openpyxl found no part and the import refused it as unreadable."""
    content = (CORPUS / "xlrd-lower-case-part-names.xlsx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert {"[content_types].xml", "xl/sharedstrings.xml"} <= set(archive.namelist())

    table = _read(content, allowed=["cycle"] + [f"{letter}{n}" for letter in "abcdefgh" for n in range(1, 13)])

    assert table.rows[0][1]["cycle"] == "1"
    assert table.rows[0][1]["a1"] == "11698.2415270953"


def test_booleans_and_error_values_typed_in_excel_read_as_texts():
    """reveng1.xlsx is refused for its formulas; its column « entered » holds the values typed in. A boolean reads
    « VRAI » or « FAUX », as French Excel and LibreOffice show it, and as an ODS cell reads
    (procurement/opendocument.py)."""
    rows = _xlsx_rows((CORPUS / "xlrd-reveng1.xlsx").read_bytes(), limited=True, max_rows=None)
    entered = {row[0]: _cell_text(row[1]) for row in rows if len(row) > 1}

    assert [entered[name] for name in ("true", "false", "#div/0!", "#na", "#name?", "#num!")] == [
        "VRAI",
        "FAUX",
        "#DIV/0!",
        "#N/A",
        "#NAME?",
        "#NUM!",
    ]


def test_a_sheet_declaring_an_unknown_encoding_is_refused_as_damaged():
    """A damaged byte in the sheet's XML declaration (« UTF-8 » become « UT0-8 ») raised LookupError."""
    damaged = _with_part_changed(
        (CORPUS / "tablib-founders.xlsx").read_bytes(),
        "xl/worksheets/sheet1.xml",
        lambda data: data.replace(b'encoding="UTF-8"', b'encoding="UT0-8"', 1),
    )
    assert b'encoding="UT0-8"' in _part(damaged, "xl/worksheets/sheet1.xml")

    with pytest.raises(ImportRejected) as refusal:
        _read(damaged, allowed=["first_name", "last_name", "gpa"])

    assert refusal.value.errors[0].startswith("Ce fichier n'est pas un classeur XLSX lisible")


def test_rows_formatted_down_to_the_last_of_the_sheet_are_no_rows_of_data():
    """LibreOffice saved bad_dimensions.xlsx with rows down to 1,048,576: they counted against the limit of
    200,000 rows, and its 3 rows were refused."""
    content = (CORPUS / "tablib-bad_dimensions.xlsx").read_bytes()
    assert b'<row r="1048576"' in _part(content, "xl/worksheets/sheet1.xml")

    table = _read(content, allowed=["pn", "qty", "price"])

    assert table.rows[0] == (2, {"pn": "EP00001", "qty": "10000", "price": "0.0367"})


def test_an_empty_first_sheet_is_named_when_the_data_is_on_another():
    with pytest.raises(ImportRejected) as refusal:
        _read((CORPUS / "agate-test_sheets.xlsx").read_bytes(), allowed=["number", "text"])

    assert refusal.value.errors == [
        "La première feuille du classeur (« not this sheet ») est vide : l'import lit la première feuille. Placez-y "
        "les données (en-tête sur la première ligne), ou déplacez la feuille des données en premier, puis importez à "
        "nouveau le fichier."
    ]


# Workbooks written by this machine's LibreOffice from a flat OpenDocument spreadsheet.
FODS = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<number:date-style style:name="Ndate"><number:day number:style="long"/><number:text>/</number:text>
 <number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/></number:date-style>
<number:time-style style:name="Ntime"><number:hours number:style="long"/><number:text>:</number:text>
 <number:minutes number:style="long"/></number:time-style>
<number:date-style style:name="Nstamp"><number:day number:style="long"/><number:text>/</number:text>
 <number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/>
 <number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text>
 <number:minutes number:style="long"/></number:date-style>
<number:time-style style:name="Nduration" number:truncate-on-overflow="false"><number:hours/>
 <number:text>:</number:text><number:minutes number:style="long"/></number:time-style>
<number:percentage-style style:name="Npercent"><number:number number:decimal-places="1"
 number:min-decimal-places="1" number:min-integer-digits="1"/><number:text> %</number:text></number:percentage-style>
<number:currency-style style:name="Neuro"><number:number number:decimal-places="2" number:min-decimal-places="2"
 number:min-integer-digits="1" number:grouping="true"/><number:text> </number:text>
 <number:currency-symbol>€</number:currency-symbol></number:currency-style>
<style:style style:name="ceDate" style:family="table-cell" style:data-style-name="Ndate"/>
<style:style style:name="ceTime" style:family="table-cell" style:data-style-name="Ntime"/>
<style:style style:name="ceStamp" style:family="table-cell" style:data-style-name="Nstamp"/>
<style:style style:name="ceDuration" style:family="table-cell" style:data-style-name="Nduration"/>
<style:style style:name="cePercent" style:family="table-cell" style:data-style-name="Npercent"/>
<style:style style:name="ceEuro" style:family="table-cell" style:data-style-name="Neuro"/>
<style:style style:name="ceYellow" style:family="table-cell">
 <style:table-cell-properties fo:background-color="#ffff00"/></style:style>
<style:style style:name="roHidden" style:family="table-row"><style:table-row-properties style:row-height="0.5cm"/>
 </style:style>
<style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
<table:calculation-settings><table:null-date table:date-value="1904-01-01"/></table:calculation-settings>
<table:table table:name="Données">
{rows}
</table:table>
</office:spreadsheet></office:body></office:document>
"""


def _cell(value_type: str, text: str, style: str = "", **values: str) -> str:
    attributes = "".join(f' office:{name.replace("_", "-")}="{value}"' for name, value in values.items())
    styled = f' table:style-name="{style}"' if style else ""
    opening = f'<table:table-cell{styled} office:value-type="{value_type}"{attributes}>'
    return f"{opening}<text:p>{text}</text:p></table:table-cell>"


def _row(*cells: str, attributes: str = "") -> str:
    return f"<table:table-row{attributes}>{''.join(cells)}</table:table-row>"


HEADINGS = ["Nom", "Date", "Heure", "Horodatage", "Actif", "Part", "Montant", "Durée", "Note"]
ALLOWED = [heading.lower() for heading in HEADINGS]
FEATURES = "\n".join(
    [
        _row(*(_cell("string", heading) for heading in HEADINGS)),
        _row(
            _cell("string", '<text:span text:style-name="T1">Équipe</text:span> A'),  # rich text
            _cell("date", "15/03/2024", "ceDate", date_value="2024-03-15"),
            _cell("time", "08:30", "ceTime", time_value="PT08H30M00S"),
            _cell("date", "15/03/2024 14:45", "ceStamp", date_value="2024-03-15T14:45:00"),
            _cell("boolean", "VRAI", boolean_value="true"),
            _cell("percentage", "37,5 %", "cePercent", value="0.375"),
            _cell("currency", "1 234,50 €", "ceEuro", currency="EUR", value="1234.5"),
            _cell("time", "36:30", "ceDuration", time_value="PT36H30M00S"),
            _cell("string", "  espaces autour  "),
        ),
        _row(
            _cell("string", "Équipe B (ligne masquée)"),
            _cell("date", "02/01/1904", "ceDate", date_value="1904-01-02"),
            '<table:table-cell table:number-columns-repeated="2"/>',
            _cell("boolean", "FAUX", boolean_value="false"),
            _cell("percentage", "0,0 %", "cePercent", value="0"),
            _cell("currency", "-0,10 €", "ceEuro", currency="EUR", value="-0.1"),
            attributes=' table:style-name="roHidden" table:visibility="collapse"',
        ),
        _row(
            '<table:table-cell table:number-columns-spanned="3" office:value-type="string">'
            "<text:p>Équipe C (cellules fusionnées)</text:p></table:table-cell>"
            '<table:covered-table-cell table:number-columns-repeated="2"/>',
            '<table:table-cell table:style-name="ceYellow" table:number-columns-repeated="2"/>',  # styled, no value
            _cell("float", "0,1", value="0.1"),
            _cell("float", "1E+20", value="1E+20"),
        ),
        _row('<table:table-cell table:style-name="ceYellow" table:number-columns-repeated="9"/>'),
        _row('<table:table-cell table:style-name="ceYellow" table:number-columns-repeated="9"/>'),
        _row('<table:table-cell table:style-name="ceYellow" table:number-columns-repeated="9"/>'),
        _row(_cell("float", "42", value="42")),
    ]
)
ARRAY_FORMULA = "\n".join(
    [
        _row(_cell("string", "nom"), _cell("string", "total"), _cell("string", "valeur")),
        _row(
            _cell("string", "a"),
            '<table:table-cell table:formula="of:=SUM([.C2:.C3]*2)" table:number-matrix-columns-spanned="1" '
            'table:number-matrix-rows-spanned="1" office:value-type="float" office:value="6"><text:p>6</text:p>'
            "</table:table-cell>",
            _cell("float", "1", value="1"),
        ),
        _row(_cell("string", "b"), "<table:table-cell/>", _cell("float", "2", value="2")),
    ]
)


@pytest.fixture(scope="module")
def libreoffice_workbooks(tmp_path_factory) -> dict[str, bytes]:
    soffice = require_soffice()
    folder = tmp_path_factory.mktemp("classeurs")
    sources = {"caracteristiques": FEATURES, "matrice": ARRAY_FORMULA}
    for name, rows in sources.items():
        (folder / f"{name}.fods").write_text(FODS.format(rows=rows), encoding="utf-8")
    completed = libreoffice_convert(soffice, [folder / f"{name}.fods" for name in sources], to="xlsx", folder=folder)
    assert completed.returncode == 0, completed.stderr.decode(errors="replace")
    return {name: (folder / "xlsx" / f"{name}.xlsx").read_bytes() for name in sources}


def _with_part_changed(content: bytes, name: str, change) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, change(data) if info.filename == name else data)
    return buffer.getvalue()


def _part(content: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read(name)


EXPECTED_FEATURES = [
    (
        2,
        {
            "nom": "Équipe A",
            "date": "2024-03-15",
            "heure": "08:30:00",
            "horodatage": "2024-03-15T14:45:00",
            "actif": "1",  # LibreOffice writes a boolean as the number 1 or 0
            "part": "37.5\u00a0%",  # shown 37,5 %: a percentage reads as the sheet shows it, in an XLSX as in an ODS
            "montant": "1234.5",
            "durée": "36:30:00",
            "note": "espaces autour",
        },
    ),
    (
        3,
        {
            "nom": "Équipe B (ligne masquée)",
            "date": "1904-01-02",
            "heure": "",
            "horodatage": "",
            "actif": "0",
            "part": "0\u00a0%",
            "montant": "-0.1",
            "durée": "",
            "note": "",
        },
    ),
    (
        4,
        {
            "nom": "Équipe C (cellules fusionnées)",
            "date": "",
            "heure": "",
            "horodatage": "",
            "actif": "",
            "part": "0.1",
            "montant": "100000000000000000000",
            "durée": "",
            "note": "",
        },
    ),
    (
        8,
        {
            "nom": "42",
            "date": "",
            "heure": "",
            "horodatage": "",
            "actif": "",
            "part": "",
            "montant": "",
            "durée": "",
            "note": "",
        },
    ),
]


def test_a_libreoffice_workbook_reads_as_its_cells_show(libreoffice_workbooks):
    """Dates counted from 1904, times, a duration, a percentage, a currency, rich text, merged cells, a hidden row,
    styled cells without value, blank rows."""
    content = libreoffice_workbooks["caracteristiques"]
    assert b'date1904="true"' in _part(content, "xl/workbook.xml")

    table = _read(content, allowed=ALLOWED)

    assert table.rows == EXPECTED_FEATURES
    assert table.rows == _reference_rows(content)


def test_a_duration_reads_as_hours_not_as_days(libreoffice_workbooks):
    """openpyxl gives a cell formatted « [h]:mm » as a timedelta, which read as « 1 day, 12:30:00 »."""
    table = _read(libreoffice_workbooks["caracteristiques"], allowed=ALLOWED)

    assert table.rows[0][1]["durée"] == "36:30:00"


def test_an_array_formula_is_refused_as_a_formula(libreoffice_workbooks):
    """An array formula (Ctrl+Maj+Entrée) came from openpyxl as an object and was read as the text
    « <openpyxl.worksheet.formula.ArrayFormula object at 0x…> »: no formula was seen."""
    with pytest.raises(ImportRejected) as refusal:
        _read(libreoffice_workbooks["matrice"], allowed=["nom", "total", "valeur"])

    assert [str(error) for error in refusal.value.errors] == [
        "ligne 2 : total : les formules ne sont pas acceptées : importez la valeur (copier, puis « collage des "
        "valeurs »)"
    ]
