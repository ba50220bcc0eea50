"""procurement/opendocument.py reads an OpenDocument spreadsheet (.ods) into the rows an XLSX gives: the same text for
each cell once procurement/tabular.py has read it, the same line numbers, the same refusals; repetitions cost
nothing until they hold content, and a damaged or forged file is refused with a French reason."""

import datetime
import random
import re
import string
import time

import pytest

from procurement import tabular
from procurement.opendocument import DOCTYPE, ENCRYPTED, NO_CONTENT
from procurement.tabular import FORMULA_REASON, ImportRejected, read_table
from tests.hostile_imports import (
    ODS_SHEET_COLUMNS,
    ODS_SHEET_ROWS,
    ods_bytes,
    ods_cell,
    ods_content,
    ods_package,
    ods_table,
)
from tests.test_excel_corpus import _part, _with_part_changed
from tests.utils import xlsx_bytes

COLUMNS = ["reference", "valeur"]


def rows_of(content: bytes, *, filename: str = "fichier.ods", columns=COLUMNS, **options) -> list:
    return read_table(content, filename=filename, allowed=columns, required=[], **options).rows


def refusal(content: bytes, *, filename: str = "fichier.ods", columns=COLUMNS, **options) -> list[str]:
    with pytest.raises(ImportRejected) as rejected:
        rows_of(content, filename=filename, columns=columns, **options)
    return rejected.value.errors


def sheet_of(columns: list[str], *rows_xml: str, name: str = "Feuille1") -> bytes:
    """An ODS whose sheet holds the header `columns`, then `rows_xml` (table:table-row elements)."""
    header = f"<table:table-row>{''.join(ods_cell(column) for column in columns)}</table:table-row>"
    return ods_package(ods_content(f'<table:table table:name="{name}">{header}{"".join(rows_xml)}</table:table>'))


def one_sheet(*rows_xml: str) -> bytes:
    """An ODS whose sheet holds the header `reference | valeur`, then `rows_xml`."""
    return sheet_of(COLUMNS, *rows_xml)


def typed(value_type: str, text: str, **values: str) -> str:
    """A cell of `value_type` showing `text`, with its office:… values (date_value -> office:date-value)."""
    attributes = "".join(f' office:{name.replace("_", "-")}="{value}"' for name, value in values.items())
    return f'<table:table-cell office:value-type="{value_type}"{attributes}><text:p>{text}</text:p></table:table-cell>'


def value_row(cell_xml: str, reference: str = "R1") -> str:
    return f"<table:table-row>{ods_cell(reference)}{cell_xml}</table:table-row>"


def read_value(cell_xml: str) -> str:
    [(_line, row)] = rows_of(one_sheet(value_row(cell_xml)))
    return row["valeur"]


# --- Each cell as the same cell of an XLSX ----------------------------------------------------------------------

# The same values written by openpyxl in an XLSX and as LibreOffice writes them in an ODS.
SAME_VALUES = [
    (350, typed("float", "350", value="350")),
    (350.5, typed("float", "350,50", value="350.5")),
    (
        12500,
        '<table:table-cell office:value-type="currency" office:currency="EUR" office:value="12500">'
        "<text:p>12 500,00 €</text:p></table:table-cell>",
    ),
    (
        datetime.datetime(2026, 1, 15),
        '<table:table-cell office:value-type="date" office:date-value="2026-01-15"><text:p>15/01/2026</text:p>'
        "</table:table-cell>",
    ),
    (
        datetime.datetime(2026, 1, 15, 10, 30),
        '<table:table-cell office:value-type="date" office:date-value="2026-01-15T10:30:00">'
        "<text:p>15/01/2026 10:30</text:p></table:table-cell>",
    ),
    (
        datetime.time(10, 30),
        '<table:table-cell office:value-type="time" office:time-value="PT10H30M00S"><text:p>10:30</text:p>'
        "</table:table-cell>",
    ),
    (
        True,
        '<table:table-cell office:value-type="boolean" office:boolean-value="true"><text:p>VRAI</text:p>'
        "</table:table-cell>",
    ),
    (
        "première ligne\nseconde ligne",
        '<table:table-cell office:value-type="string"><text:p>première ligne</text:p><text:p>seconde ligne</text:p>'
        "</table:table-cell>",
    ),
    ("  Voirie  ", '<table:table-cell office:value-type="string"><text:p>  Voirie  </text:p></table:table-cell>'),
]


def percent_xlsx(*values: float, number_format: str = "0%") -> bytes:
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for value in values:
        sheet.append(["R1", value])
        sheet.cell(row=sheet.max_row, column=2).number_format = number_format
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def test_a_percentage_reads_as_its_sheet_shows_it_not_as_its_fraction():
    # Typed « 45 % » in a spreadsheet, the cell holds 0.45: a share column must read 45, never 0.45.
    from_ods = rows_of(one_sheet(value_row(typed("percentage", "45 %", value="0.45"))))

    assert from_ods == [(2, {"reference": "R1", "valeur": "45\u00a0%"})]
    assert rows_of(percent_xlsx(0.45), filename="fichier.xlsx") == from_ods
    assert rows_of(percent_xlsx(0.375, number_format="0.0 %"), filename="fichier.xlsx")[0][1]["valeur"] == (
        "37.5\u00a0%"
    )


def test_a_percent_sign_quoted_in_a_number_format_is_no_percentage():
    assert rows_of(percent_xlsx(12, number_format='0" %"'), filename="fichier.xlsx")[0][1]["valeur"] == "12"
    assert rows_of(percent_xlsx(12, number_format="0\\%"), filename="fichier.xlsx")[0][1]["valeur"] == "12"


def test_a_number_of_a_style_the_workbook_does_not_define_reads_as_a_number():
    # A forged or damaged file: the cell names style 99 of a workbook that has two. Its number format is read through
    # openpyxl's public cell attributes (number_format), which then fail: the number reads as in a General cell.
    content = _with_part_changed(
        percent_xlsx(0.45),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'(<c r="B2"[^>]*?) s="\d+"', rb'\1 s="99"', xml),
    )
    assert b's="99"' in _part(content, "xl/worksheets/sheet1.xml")

    assert rows_of(content, filename="fichier.xlsx") == [(2, {"reference": "R1", "valeur": "0.45"})]


@pytest.mark.parametrize(("value", "cell_xml"), SAME_VALUES, ids=[repr(value) for value, _xml in SAME_VALUES])
def test_a_cell_reads_as_the_same_cell_of_an_xlsx(value, cell_xml):
    from_xlsx = rows_of(xlsx_bytes([COLUMNS, ["R1", value]]), filename="fichier.xlsx")

    assert rows_of(one_sheet(value_row(cell_xml))) == from_xlsx


@pytest.mark.parametrize(
    ("cell_xml", "text"),
    [
        # Spaces, tabs and line breaks written as elements, a span's text, a comment left out.
        (
            '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="3"/>b<text:s/>c<text:tab/>d'
            "<text:line-break/>e <text:span>en gras</text:span></text:p></table:table-cell>",
            "a   b c\td\ne en gras",
        ),
        (
            '<table:table-cell office:value-type="string"><office:annotation><text:p>Un commentaire</text:p>'
            "</office:annotation><text:p>Valeur</text:p></table:table-cell>",
            "Valeur",
        ),
        ('<table:table-cell office:value-type="string" office:string-value="Cachée"/>', "Cachée"),
        (typed("float", "1500", value="1.5E3"), "1500"),
        (typed("float", "-2", value="-2"), "-2"),
        (typed("date", "x", date_value="2026-01-15T10:30:15.5"), "2026-01-15T10:30:15.500000"),
        (typed("time", "36:00", time_value="PT36H00M00S"), "36:00:00"),
        (typed("boolean", "FAUX", boolean_value="false"), "FAUX"),
        # A value the cell cannot hold: the text it shows.
        (typed("float", "12,5", value="abc"), "12,5"),
        (typed("date", "Ides", date_value="-0044-03-15"), "Ides"),
        # A cell without a type, as some generators write text.
        ("<table:table-cell><text:p>Sans type</text:p></table:table-cell>", "Sans type"),
    ],
)
def test_cell_text_and_values(cell_xml, text):
    assert read_value(cell_xml) == text


def test_a_formula_cell_is_refused_even_with_its_cached_value(organisation):
    from procurement.models import Market
    from procurement.services.market_import import COLUMNS as MARKET_COLUMNS
    from procurement.services.market_import import import_markets

    values = ["2026-M-001", "Nettoyage", "services", datetime.date(2026, 1, 15), None, None, None, "non"]
    row = "".join(ods_cell(value) for value in values[:6])
    formula = (
        '<table:table-cell table:formula="of:=SUM(100;200)" office:value-type="float" office:value="300">'
        "<text:p>300</text:p></table:table-cell>"
    )
    content = sheet_of(MARKET_COLUMNS, f"<table:table-row>{row}{formula}{ods_cell('non')}</table:table-row>")

    with pytest.raises(ImportRejected) as rejected:
        import_markets(organisation=organisation, content=content, filename="marches.ods")

    # As the same formula in an XLSX (tests/test_bad_imports.py).
    assert rejected.value.errors == [f"ligne 2 : insertion_hours_planned : {FORMULA_REASON}"]
    assert not Market.objects.exists()


def formula_cell(formula: str, value_type: str = "boolean", value: str = "true") -> str:
    return (
        f'<table:table-cell table:formula="{formula}" office:value-type="{value_type}" '
        f'office:{"boolean-value" if value_type == "boolean" else "value"}="{value}"><text:p>x</text:p>'
        "</table:table-cell>"
    )


@pytest.mark.parametrize(
    ("formula", "xlsx_formula", "text"),
    [
        # As LibreOffice writes a boolean it read from an XLSX, or =VRAI() typed (tests/corpus/imports/README.md).
        ("of:=TRUE()", "=TRUE()", "VRAI"),
        ("of:=FALSE()", "=FALSE()", "FAUX"),
        # OpenOffice.org's namespace, Excel's =TRUE without brackets, a name in lower case.
        ("oooc:=TRUE()", "=TRUE", "VRAI"),
        ("msoxl:=FALSE", "=false()", "FAUX"),
    ],
)
def test_a_boolean_constant_formula_reads_as_its_boolean_as_in_an_xlsx(formula, xlsx_formula, text):
    # The cached value is not what is read: a FALSE() formula whose cell claims true still reads FAUX.
    from_ods = rows_of(one_sheet(value_row(formula_cell(formula, value="true"))))

    assert from_ods == [(2, {"reference": "R1", "valeur": text})]
    assert rows_of(xlsx_bytes([COLUMNS, ["R1", xlsx_formula]]), filename="fichier.xlsx") == from_ods


@pytest.mark.parametrize(
    "formula", ["of:=TRUE()+0", "of:=NOT(FALSE())", "of:=1=1", "of:=TRUE()=TRUE()", "of:=[.A1]", "of:=TRUE(1)"]
)
def test_every_other_formula_giving_a_boolean_is_refused_as_in_an_xlsx(formula):
    errors = refusal(one_sheet(value_row(formula_cell(formula))))

    assert errors == [f"ligne 2 : valeur : {FORMULA_REASON}"]
    xlsx_formula = "=" + formula.removeprefix("of:=").replace("[.A1]", "A1")
    assert refusal(xlsx_bytes([COLUMNS, ["R1", xlsx_formula]]), filename="fichier.xlsx") == errors


def text_cells_xlsx(*texts: str) -> bytes:
    """An XLSX whose cells under the header are text cells (a shared string each), not formulas, whatever they
    read: as Excel saves a cell typed with a leading apostrophe ('=TRUE())."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for text in texts:
        sheet.append(["R1", None])
        cell = sheet.cell(row=sheet.max_row, column=2)
        cell.value = text
        cell.data_type = "s"  # openpyxl would otherwise write a text starting with « = » as a formula
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.mark.parametrize("text", ["=TRUE()", "=false()", "=TRUE"])
def test_a_text_cell_reading_a_boolean_constant_stays_a_text(text):
    # Only a formula cell is read as its boolean: a text cell « =TRUE() » is a text starting with « = », refused as
    # in a CSV, never read VRAI (which a yes/no column would import as « oui »).
    content = text_cells_xlsx(text)
    assert b"<f>" not in _part(content, "xl/worksheets/sheet1.xml")

    assert refusal(content, filename="fichier.xlsx") == [f"ligne 2 : valeur : {FORMULA_REASON}"]
    assert refusal(one_sheet(value_row(ods_cell(text)))) == [f"ligne 2 : valeur : {FORMULA_REASON}"]
    assert refusal(csv_of(text), filename="fichier.csv") == [f"ligne 2 : valeur : {FORMULA_REASON}"]


def csv_of(value: str) -> bytes:
    return f"reference;valeur\nR1;{value}\n".encode()


def test_a_text_starting_with_equals_is_refused_as_in_an_xlsx():
    errors = refusal(one_sheet(value_row(ods_cell("=1+1"))))
    assert errors == [f"ligne 2 : valeur : {FORMULA_REASON}"]


# --- Rows, sheets, repetitions ----------------------------------------------------------------------------------


def test_line_numbers_count_empty_rows_as_an_xlsx_does():
    rows = [COLUMNS, ["R1", "a"], [None, None], [None, None], ["R2", "b"]]
    ods = rows_of(ods_bytes(rows))

    assert ods == rows_of(xlsx_bytes(rows), filename="fichier.xlsx")
    assert [line for line, _row in ods] == [2, 5]


def test_libreoffice_s_repeated_empty_rows_and_cells_cost_nothing():
    # ods_table ends each row with its empty cells up to column 16,384 and the sheet with 1,048,573 empty rows.
    content = ods_bytes([COLUMNS, ["R1", "a"], ["R2", "b"]])
    assert f'table:number-rows-repeated="{ODS_SHEET_ROWS - 3}"'.encode() in content or len(content) < 2000

    started = time.process_time()
    rows = rows_of(content)

    assert time.process_time() - started < 0.2
    assert rows == [(2, {"reference": "R1", "valeur": "a"}), (3, {"reference": "R2", "valeur": "b"})]


def test_empty_cells_before_a_value_are_kept_as_empty_columns():
    columns = ["reference", "a", "b", "c"]
    row = f"<table:table-row>{ods_cell('R1')}{ods_cell(None, repeated=2)}{ods_cell('c')}</table:table-row>"
    content = sheet_of(columns, row)

    assert rows_of(content, columns=columns) == [(2, {"reference": "R1", "a": "", "b": "", "c": "c"})]


def test_a_repeated_row_and_a_repeated_cell_with_content_are_expanded():
    repeated_row = f'<table:table-row table:number-rows-repeated="3">{ods_cell("R")}{ods_cell("x")}</table:table-row>'
    columns = ["reference", "a", "b"]
    repeated_cell = f"<table:table-row>{ods_cell('R9')}{ods_cell('y', repeated=2)}</table:table-row>"
    content = sheet_of(columns, repeated_row, repeated_cell)

    assert rows_of(content, columns=columns) == [
        (2, {"reference": "R", "a": "x", "b": ""}),
        (3, {"reference": "R", "a": "x", "b": ""}),
        (4, {"reference": "R", "a": "x", "b": ""}),
        (5, {"reference": "R9", "a": "y", "b": "y"}),
    ]


def test_merged_and_hidden_cells_are_read_as_in_an_xlsx():
    # A cell merged over two columns (the second covered, empty), a covered cell whose content LibreOffice kept, a
    # hidden row.
    columns = ["reference", "a", "b"]
    merged = (
        '<table:table-row><table:table-cell table:number-columns-spanned="2" office:value-type="string">'
        "<text:p>R1</text:p></table:table-cell><table:covered-table-cell/>"
        f"{ods_cell('b1')}</table:table-row>"
    )
    kept = (
        f'<table:table-row>{ods_cell("R2")}<table:covered-table-cell office:value-type="string">'
        "<text:p>gardée</text:p></table:covered-table-cell></table:table-row>"
    )
    hidden = f'<table:table-row table:visibility="collapse">{ods_cell("R3")}{ods_cell("cachée")}</table:table-row>'
    content = sheet_of(columns, merged, kept, hidden)

    assert rows_of(content, columns=columns) == [
        (2, {"reference": "R1", "a": "", "b": "b1"}),
        (3, {"reference": "R2", "a": "gardée", "b": ""}),
        (4, {"reference": "R3", "a": "cachée", "b": ""}),
    ]


def test_the_first_sheet_is_read_or_the_one_named():
    tables = ods_table([COLUMNS, ["R1", "premier"]], name="Données") + ods_table(
        [COLUMNS, ["R2", "second"]], name="Publiés"
    )
    content = ods_package(ods_content(tables))

    assert rows_of(content) == [(2, {"reference": "R1", "valeur": "premier"})]
    assert rows_of(content, sheet="Publiés") == [(2, {"reference": "R2", "valeur": "second"})]
    assert refusal(content, sheet="Index") == [
        "Le classeur n'a pas de feuille « Index » (feuilles présentes : Données, Publiés) : importez le fichier "
        "publié tel quel."
    ]


# A sheet hidden as LibreOffice hides it: by a table style of content.xml's automatic styles, before the body.
TABLE_STYLES = (
    b'<office:automatic-styles><style:style style:name="ta1" style:family="table">'
    b'<style:table-properties table:display="false" style:writing-mode="lr-tb"/></style:style>'
    b'<style:style style:name="ta2" style:family="table"><style:table-properties table:display="true"/>'
    b"</style:style></office:automatic-styles>"
)
STYLE_NAMESPACE = b'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" office:version="1.3"'


def styled_sheets(*sheets: tuple[str, list[list], bool]) -> bytes:
    """An ODS of `sheets` (name, rows, hidden), each with its table style: « ta1 » hides it, « ta2 » shows it."""
    tables = "".join(
        ods_table(rows, name=name).replace(
            f'table:name="{name}"', f'table:name="{name}" table:style-name="{"ta1" if hidden else "ta2"}"', 1
        )
        for name, rows, hidden in sheets
    )
    content = ods_content(tables).replace(b'office:version="1.3"', STYLE_NAMESPACE, 1)
    return ods_package(content.replace(b"<office:body>", TABLE_STYLES + b"<office:body>", 1))


def sheets_xlsx(*sheets: tuple[str, list[list], str]) -> bytes:
    """An XLSX of `sheets` (name, rows, sheet_state: « visible », « hidden » or « veryHidden »)."""
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, rows, state in sheets:
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


LISTS = [["oui"], ["non"]]  # what a data validation's hidden sheet holds
DATA = [COLUMNS, ["R1", "données"]]


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_a_hidden_first_sheet_is_passed_over_for_the_first_one_a_person_sees(state):
    ods = styled_sheets(("Listes", LISTS, True), ("Données", DATA, False), ("Autre", [COLUMNS, ["R2", "x"]], False))
    xlsx = sheets_xlsx(("Listes", LISTS, state), ("Données", DATA, "visible"), ("Autre", [COLUMNS], "visible"))

    assert rows_of(ods) == [(2, {"reference": "R1", "valeur": "données"})]
    assert rows_of(xlsx, filename="fichier.xlsx") == rows_of(ods)
    # A sheet named by the import is read, hidden or not.
    assert refusal(ods, sheet="Listes") == refusal(xlsx, filename="fichier.xlsx", sheet="Listes")
    assert refusal(ods, sheet="Listes") == ["Colonnes inconnues : oui. Colonnes attendues : reference, valeur."]


def test_a_sheet_shown_by_its_style_is_read_and_a_named_sheet_missing_is_named():
    ods = styled_sheets(("Données", DATA, False), ("Listes", LISTS, True))

    assert rows_of(ods) == [(2, {"reference": "R1", "valeur": "données"})]
    assert refusal(ods, sheet="Index") == [
        "Le classeur n'a pas de feuille « Index » (feuilles présentes : Données, Listes) : importez le fichier "
        "publié tel quel."
    ]
    xlsx = sheets_xlsx(("Données", DATA, "visible"), ("Listes", LISTS, "hidden"))
    assert refusal(xlsx, filename="fichier.xlsx", sheet="Index") == refusal(ods, sheet="Index")


def test_a_workbook_whose_every_sheet_is_hidden_is_refused_in_french():
    ods = styled_sheets(("Listes", LISTS, True), ("Données", DATA, True))
    # openpyxl, as Excel, saves no workbook without a visible sheet: its workbook.xml is changed afterwards.
    xlsx = _with_part_changed(
        sheets_xlsx(("Listes", LISTS, "hidden"), ("Données", DATA, "visible")),
        "xl/workbook.xml",
        lambda xml: xml.replace(b'state="visible"', b'state="veryHidden"', 1),
    )
    assert b'state="veryHidden"' in _part(xlsx, "xl/workbook.xml")

    assert refusal(ods) == [tabular.ALL_SHEETS_HIDDEN]
    assert refusal(xlsx, filename="fichier.xlsx") == [tabular.ALL_SHEETS_HIDDEN]
    assert tabular.ALL_SHEETS_HIDDEN.startswith("Toutes les feuilles du classeur sont masquées : ")


def test_an_empty_first_visible_sheet_is_named_in_the_refusal():
    """The data on a later sheet: the refusal names the empty sheet a person sees first, not the hidden one, in an
    ODS as in an XLSX (an ODS read « Le fichier est vide. »)."""
    ods = styled_sheets(("Listes", LISTS, True), ("Consignes", [], False), ("Données", DATA, False))
    xlsx = sheets_xlsx(("Listes", LISTS, "hidden"), ("Consignes", [], "visible"), ("Données", DATA, "visible"))

    assert refusal(ods) == [tabular.empty_first_sheet("Consignes")]
    assert refusal(xlsx, filename="fichier.xlsx") == refusal(ods)
    assert refusal(ods)[0].startswith("La première feuille du classeur (« Consignes ») est vide")


def test_after_an_empty_first_sheet_the_rest_of_the_file_is_not_parsed():
    """That another sheet starts is all the refusal needs: a large or damaged sheet after it costs nothing."""
    header = f"<table:table-row>{''.join(ods_cell(column) for column in COLUMNS)}</table:table-row>"
    filler = f"<table:table-row>{ods_cell('R1')}{ods_cell('x' * 100)}</table:table-row>" * 2_000  # 400 kB
    tables = (
        ods_table([], name="Vide")
        + f'<table:table table:name="Données">{header}{filler}'
        + "<table:table-row><table:table-cell></table:table-row>"  # malformed: never reached
    )
    content = ods_package(ods_content(tables))

    assert refusal(content) == [tabular.empty_first_sheet("Vide")]
    assert refusal(content, sheet="Données")[0].startswith("Ce fichier n'est pas un classeur ODS lisible")


def test_an_ods_is_recognised_by_its_content_not_its_name():
    content = ods_bytes([COLUMNS, ["R1", "a"]])
    for name in ("fichier.ods", "fichier.csv", "fichier.xlsx", "fichier"):
        assert rows_of(content, filename=name) == [(2, {"reference": "R1", "valeur": "a"})]


def test_an_empty_sheet_is_an_empty_file():
    assert refusal(ods_bytes([])) == ["Le fichier est vide."]
    assert refusal(ods_package(ods_content(""))) == ["Le fichier est vide."]
    assert refusal(ods_bytes([COLUMNS])) == ["Le fichier ne contient aucune ligne de données sous l'en-tête."]


# --- Limits -----------------------------------------------------------------------------------------------------

TOO_MANY_ROWS = "Le fichier compte plus de 200\u202f000 lignes sous l'en-tête"


def test_a_repeated_row_counts_toward_the_row_limit_before_it_is_expanded(monkeypatch):
    row = f'<table:table-row table:number-rows-repeated="{10**9}">{ods_cell("R")}</table:table-row>'
    started = time.process_time()
    errors = refusal(one_sheet(row))
    assert time.process_time() - started < 0.2
    assert TOO_MANY_ROWS in errors[0]
    # Up to the limit, the rows are read.
    monkeypatch.setattr(tabular, "MAX_IMPORT_ROWS", 10)
    assert (
        len(rows_of(one_sheet(f'<table:table-row table:number-rows-repeated="10">{ods_cell("R")}</table:table-row>')))
        == 10
    )
    eleven = one_sheet(f'<table:table-row table:number-rows-repeated="11">{ods_cell("R")}</table:table-row>')
    assert "Le fichier compte plus de 10 lignes sous l'en-tête" in refusal(eleven)[0]


def test_empty_rows_before_a_far_row_count_toward_the_limit():
    rows = '<table:table-row table:number-rows-repeated="900000"><table:table-cell/></table:table-row>'
    started = time.process_time()
    errors = refusal(one_sheet(rows, value_row(ods_cell("loin"))))
    assert time.process_time() - started < 0.2
    assert TOO_MANY_ROWS in errors[0]


def test_a_command_reads_more_rows_but_no_more_than_a_sheet_holds(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_IMPORT_ROWS", 10)
    many = one_sheet(f'<table:table-row table:number-rows-repeated="25">{ods_cell("R")}</table:table-row>')
    assert len(rows_of(many, max_bytes=None)) == 25

    forged = one_sheet(f'<table:table-row table:number-rows-repeated="{10**9}">{ods_cell("R")}</table:table-row>')
    started = time.process_time()
    errors = refusal(forged, max_bytes=None)
    assert time.process_time() - started < 0.2
    assert errors == [
        "Ce classeur ODS compte plus de 1\u202f048\u202f576 lignes, le plus qu'une feuille de tableur en a : il est "
        "refusé pour protéger la plateforme. Découpez-le en plusieurs fichiers, ou enregistrez-le au format .csv."
    ]


def test_a_header_of_100000_cells_is_refused_with_its_width():
    # Written out, not repeated: each cell read and dropped past the limit, the width counted on.
    header = "".join(ods_cell(f"c{index}") for index in range(100_000))
    table = f'<table:table table:name="A"><table:table-row>{header}</table:table-row></table:table>'
    content = ods_package(ods_content(table))

    errors = refusal(content)

    assert errors[0].startswith("L'en-tête compte 100\u202f000 colonnes, au plus 1\u202f000 sont acceptées")


def test_a_row_wider_than_any_header_is_refused_as_in_an_xlsx():
    row = f"<table:table-row>{ods_cell('R')}{ods_cell(None, repeated=5000)}{ods_cell('loin')}</table:table-row>"
    assert refusal(one_sheet(row)) == ["ligne 2 : — : la ligne a plus de valeurs que l'en-tête n'a de colonnes"]
    # A value past the header, within the column limit: refused by procurement/tabular.py, as for an XLSX.
    near = f"<table:table-row>{ods_cell('R')}{ods_cell(None, repeated=50)}{ods_cell('près')}</table:table-row>"
    assert refusal(one_sheet(near)) == ["ligne 2 : — : la ligne a plus de valeurs que l'en-tête n'a de colonnes"]
    # Empty cells to the sheet's last column are no value.
    far_empty = f"<table:table-row>{ods_cell('R')}{ods_cell(None, repeated=ODS_SHEET_COLUMNS - 1)}</table:table-row>"
    assert rows_of(one_sheet(far_empty)) == [(2, {"reference": "R", "valeur": ""})]


TOO_LONG_CELL = (
    "ligne 2 : — : une cellule dépasse 131\u202f072 caractères, le plus qu'un import lit : vérifiez-la, puis "
    "importez le fichier à nouveau."
)


def test_a_cell_longer_than_an_import_reads_is_refused():
    assert refusal(one_sheet(value_row(ods_cell("x" * 200_000)))) == [TOO_LONG_CELL]


def test_a_text_or_tag_of_megabytes_is_refused_before_expat_holds_it():
    # 5 MB of letters in one attribute (not compressible enough to be a zip bomb): expat would keep it whole.
    letters = "".join(random.Random(7).choices(string.ascii_letters, k=5 * 1024 * 1024))
    cell = f'<table:table-cell office:value-type="string" office:string-value="{letters}"/>'
    started = time.process_time()
    assert refusal(one_sheet(value_row(cell))) == [TOO_LONG_CELL]
    assert time.process_time() - started < 1


# --- Damaged and forged files -----------------------------------------------------------------------------------

UNREADABLE = "Ce fichier n'est pas un classeur ODS lisible"


@pytest.mark.parametrize(
    "prolog",
    [
        "<!DOCTYPE office:document-content>",
        '<!DOCTYPE office:document-content [<!ENTITY rire "ha">]>',
        '<!DOCTYPE office:document-content SYSTEM "http://exemple.invalid/dtd">',
        '<!DOCTYPE office:document-content [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE office:document-content [<!ENTITY % param SYSTEM "http://exemple.invalid/p">%param;]>',
    ],
)
def test_a_doctype_is_refused_whatever_it_declares(prolog):
    table = ods_table([COLUMNS, ["R1", "a"]])
    assert refusal(ods_package(ods_content(table, prolog=prolog))) == [DOCTYPE]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        # An entity never declared, a sheet cut short, a content.xml that is no XML.
        (ods_package(ods_content(ods_table([COLUMNS, ["&inconnue;", "a"]]).replace("&amp;", "&"))), "ligne 2"),
        (ods_package(ods_content(ods_table([COLUMNS, ["R1", "a"]]))[:-200]), "ligne 3"),
        (ods_package(b"\x00\x01 pas du XML"), "ligne 1"),
        # An XML declaration naming an encoding nobody knows (found by tests/fuzz: expat raised LookupError).
        (ods_package(ods_content(ods_table([COLUMNS])).replace(b'"UTF-8"', b'"percentage"')), "ligne 1"),
    ],
)
def test_a_damaged_content_is_refused_with_its_line(content, reason):
    [error] = refusal(content)
    assert error.startswith(f"{UNREADABLE} : son contenu est endommagé vers la {reason}. Ouvrez-le dans votre tableur")


def test_a_forged_repetition_is_a_damaged_file():
    row = f'<table:table-row table:number-rows-repeated="-3">{ods_cell("R")}</table:table-row>'
    [error] = refusal(one_sheet(row))
    assert error.startswith(f"{UNREADABLE} : son contenu est endommagé vers la ligne 2")


def test_an_archive_without_content_or_encrypted_is_refused():
    assert refusal(ods_package(None)) == [NO_CONTENT]
    manifest = (
        b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
        b'<manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry>'
        b"</manifest:manifest>"
    )
    encrypted = ods_package(b"\x8f\x12 chiffre", manifest=manifest)
    assert refusal(encrypted) == [ENCRYPTED]


def test_another_opendocument_file_is_refused_as_not_a_spreadsheet():
    text = ods_package(ods_content(""), mimetype="application/vnd.oasis.opendocument.text")
    assert refusal(text, filename="rapport.odt") == [
        "Ce fichier est un document OpenDocument (text), pas un classeur : ouvrez les données dans votre tableur, "
        "enregistrez-les au format .ods (ou .xlsx, .csv), puis importez-les."
    ]


@pytest.mark.parametrize(
    "content",
    [b"reference;valeur\nR1;a\n", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"PK\x03\x04 cut short"],
    ids=["csv", "png", "zip coupé"],
)
def test_a_file_named_ods_that_is_no_spreadsheet_is_refused(content):
    [error] = refusal(content, filename="fichier.ods")
    # A CSV or an image by its name; a broken zip is read as the XLSX it may have been.
    assert error.startswith("Ce fichier n'est pas un classeur XLSX")
