"""OpenDocument spreadsheets nobody here wrote (tests/corpus/imports/public, from pyexcel-ods' tests): the reader
gives the values that project's tests state, and what pandas gives where pandas reads the file right."""

import math
from pathlib import Path

import pandas
import pytest

from procurement.opendocument import ods_rows
from procurement.tabular import ImportRejected, _cell_text, read_table

PUBLIC = Path(__file__).parent.parent / "corpus" / "imports" / "public"


def sheet_rows(name: str, *, sheet: str | None = None) -> list[list[str]]:
    """The rows of a sheet as the imports read them (each cell through `_cell_text`), trailing empty cells cut."""
    rows = ods_rows((PUBLIC / name).read_bytes(), limited=True, max_rows=200_000, sheet=sheet)
    return [[_cell_text(value) for value in row] for row in rows]


def test_every_public_file_is_read_by_a_test():
    files = {path.name for path in PUBLIC.glob("*.ods")}
    assert files == {*PANDAS_READS_RIGHT, "ods_formats.ods", "white_space.ods", "issue_27.ods"}


def test_each_type_of_cell_reads_as_pyexcel_ods_tests_state():
    # tests/base.py of pyexcel-ods (ODSCellTypes.test_formats): a date, a time, a boolean (« VRAI », as a French
    # spreadsheet shows it, where those tests state Python's True), 11.11, a currency (its number: 1 and -10000, as
    # an XLSX gives it), a percentage (« 200 % » as shown; its value is 2), 3, 100000 written 1,00E+005, 1.25
    # written as the fraction 1 1/4, a duration of 27:17:54.
    rows = sheet_rows("ods_formats.ods")
    assert rows[0] == [
        "Date",
        "Time",
        "Boolean",
        "Float",
        "Currency",
        "Percentage",
        "Int",
        "Scientific",
        "Fractions",
        "Text",
    ]
    assert rows[1] == ["2014-11-11", "11:12:12", "VRAI", "11.11", "1", "200\u00a0%", "3", "100000", "1.25", "abc"]
    assert rows[2] == ["2001-01-01", "00:00:12", "FAUX", "", "-10000"]
    assert rows[3] == ["", "0"]
    assert rows[4] == ["", "27:17:54", "", "", "", "", "11"]
    assert rows[5] == ["", "Other"]


def test_a_whole_public_file_imports_through_the_shared_reader():
    names = ["date", "time", "boolean", "float", "currency", "percentage", "int", "scientific", "fractions", "text"]
    table = read_table(
        (PUBLIC / "ods_formats.ods").read_bytes(), filename="ods_formats.ods", allowed=names, required=[]
    )

    assert [line for line, _row in table.rows] == [2, 3, 4, 5, 6]
    assert table.rows[0][1] == {
        "date": "2014-11-11",
        "time": "11:12:12",
        "boolean": "VRAI",
        "float": "11.11",
        "currency": "1",
        "percentage": "200\u00a0%",
        "int": "3",
        "scientific": "100000",
        "fractions": "1.25",
        "text": "abc",
    }


def test_tabs_spaces_and_line_breaks_are_kept():
    # test_issue_20 of pyexcel-ods (pandas drops the tab: it does not read text:tab).
    assert sheet_rows("white_space.ods") == [["paragraph with tab(\t),    space, \nnew line"]]


def test_a_public_formula_reads_as_its_formula_not_its_cached_value():
    # pyexcel-ods reads its cached value, 0 (test_issue_27); an import takes no formula: the cell reads as the
    # formula, which procurement/tabular.py refuses (FORMULA_REASON) in a row, and as an unknown heading here, in
    # the file's only row, as it would an XLSX formula.
    assert sheet_rows("issue_27.ods") == [["", "Cost Basis", "=SUM([.G$1:.G$1048576])"]]
    with pytest.raises(ImportRejected) as rejected:
        read_table(
            (PUBLIC / "issue_27.ods").read_bytes(), filename="issue_27.ods", allowed=["cost basis"], required=[]
        )
    assert rejected.value.errors[0].startswith("Colonnes inconnues : =sum([.g$1:.g$1048576]).")


# What pyexcel-ods' tests state, for the files pandas reads right too.
PANDAS_READS_RIGHT = {
    "multilineods.ods": {"Sheet1": [["1\n2\n3\n4"], ["Line 1\n\nLine 2"]]},
    "comment-in-cell.ods": {"Sheet1": [["test"]]},
    "repeated.ods": {"Sheet1": [["repeated", "repeated", "repeated", "repeated"]]},
    "file_with_an_empty_sheet.ods": {"Sheet1": [["1", "2", "3"], ["4", "5", "6"]], "Sheet2": []},
    "pyexcel_81_ods_19.ods": {"product.template": [["id", "name"], ["PRODUCT_ID", "PRODUCT NAME  PMP"]]},
}


def _pandas_text(value) -> str:
    if value is None or value is pandas.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, pandas.Timestamp):
        value = value.to_pydatetime()
    return _cell_text(value)


@pytest.mark.parametrize("name", sorted(PANDAS_READS_RIGHT))
def test_each_sheet_reads_as_pyexcel_ods_tests_state_and_as_pandas_reads_it(name):
    frames = pandas.read_excel(PUBLIC / name, sheet_name=None, header=None, engine="odf", dtype=object)
    for sheet, frame in frames.items():
        rows = sheet_rows(name, sheet=sheet)
        by_pandas = [[_pandas_text(value) for value in row] for row in frame.itertuples(index=False)]
        # pandas makes every row as wide as the widest; our rows end at their last value.
        width = max((len(row) for row in by_pandas), default=0)
        assert [row + [""] * (width - len(row)) for row in rows] == by_pandas, sheet
        if sheet in PANDAS_READS_RIGHT[name]:
            assert rows == PANDAS_READS_RIGHT[name][sheet]
