"""procurement/tabular.py reads CSV lines as io.StringIO(newline="") would, a line at a time, and a workbook's
named sheet; `stream_table` checks the header before giving any row."""

import io

import pytest

from procurement.tabular import ImportRejected, _lines, read_table, stream_table
from tests.utils import xlsx_bytes


@pytest.mark.parametrize(
    "text",
    [
        "a;b\r\n1;2\r\n",
        "a;b\n1;2\n3;4",
        "a;b\r1;2\r3;4\r",
        'a;b\n"deux\nlignes";2\r\n"x\r\ny";3\n',
        "",
        "\n\n",
    ],
)
def test_lines_are_those_of_a_stringio_without_newline_translation(text):
    assert list(_lines(text)) == list(io.StringIO(text, newline=""))


def test_a_quoted_cell_over_several_lines_and_old_mac_line_ends():
    content = b'nom;note\r"ACME,\r\nINDUSTRIE";88\r"B";NC\r'

    table = read_table(content, filename="f.csv", allowed=["nom", "note"], required=["nom"])

    assert [row for _line, row in table.rows] == [
        {"nom": "ACME,\r\nINDUSTRIE", "note": "88"},
        {"nom": "B", "note": "NC"},
    ]
    assert [line for line, _row in table.rows] == [2, 3]


def test_stream_table_refuses_the_header_before_any_row_and_reads_a_named_sheet():
    with pytest.raises(ImportRejected, match="Colonnes obligatoires absentes : note"):
        stream_table(b"nom\nA\n", filename="f.csv", allowed=["nom", "note"], required=["note"])

    workbook = xlsx_bytes([["autre"], ["x"]])
    with pytest.raises(ImportRejected, match="Le classeur n'a pas de feuille « Index »"):
        stream_table(workbook, filename="f.xlsx", allowed=["autre"], required=[], sheet="Index")
    columns, rows = stream_table(workbook, filename="f.xlsx", allowed=["autre"], required=[], sheet="Sheet")
    assert (columns, list(rows)) == (["autre"], [(2, {"autre": "x"})])
