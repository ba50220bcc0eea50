"""procurement/tabular.py reads CSV lines as io.StringIO(newline="") would, a line at a time, and a workbook's
named sheet; `stream_table` checks the header before giving any row."""

import io

import pytest

from procurement.tabular import (
    FORMULA_REASON,
    ErrorList,
    ImportRejected,
    RowError,
    _lines,
    more_errors,
    read_table,
    stream_table,
)
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


def _patched_headers(data: bytes, signature: bytes, offset: int, value: int) -> bytes:
    """`data` with the byte at `offset` of every zip header starting with `signature` set to `value`."""
    patched = bytearray(data)
    at = patched.find(signature)
    while at >= 0:
        patched[at + offset] = value
        at = patched.find(signature, at + 4)
    return bytes(patched)


@pytest.mark.parametrize(
    "forge",
    [
        # A zip directory asking for a zip version above 6.3 (found by tests/fuzz: zipfile's NotImplementedError).
        lambda data: _patched_headers(data, b"PK\x01\x02", 6, 96),
        # Every part compressed by a method zipfile does not know (99), in the directory and in the local headers.
        lambda data: _patched_headers(_patched_headers(data, b"PK\x01\x02", 10, 99), b"PK\x03\x04", 8, 99),
    ],
    ids=["zip-version", "compression-method"],
)
def test_a_workbook_zip_of_an_unknown_version_or_compression_is_refused_as_unreadable(forge):
    with pytest.raises(ImportRejected) as rejected:
        read_table(forge(xlsx_bytes([["nom"], ["x"]])), filename="f.xlsx", allowed=["nom"], required=[])

    assert rejected.value.errors == ["Ce fichier n'est pas un classeur XLSX lisible."]


def test_an_error_list_keeps_the_first_errors_and_counts_every_one():
    errors = ErrorList(limit=3)
    errors.extend(RowError(line, "colonne", "raison") for line in range(2, 6))
    errors.append(RowError(6, "colonne", "raison"))

    assert errors.total == 5
    assert [error.line for error in errors] == [2, 3, 4]
    rejected = ImportRejected(errors)
    assert rejected.total == 5
    assert rejected.errors == [
        "ligne 2 : colonne : raison",
        "ligne 3 : colonne : raison",
        "ligne 4 : colonne : raison",
        more_errors(2),
    ]
    assert rejected.items[-1] == more_errors(2)
    # Under the limit, or from a plain list, nothing is added.
    assert ImportRejected(ErrorList([RowError(2, "c", "r")], limit=3)).errors == ["ligne 2 : c : r"]
    assert ImportRejected(["Le fichier est vide."]).errors == ["Le fichier est vide."]


def test_a_file_of_formulas_lists_the_first_ones_and_counts_the_others(monkeypatch):
    monkeypatch.setattr("procurement.tabular.MAX_LISTED_ERRORS", 2)
    content = ("a;b\n" + "=1;=2\n" * 3).encode()

    with pytest.raises(ImportRejected) as rejected:
        read_table(content, filename="f.csv", allowed=["a", "b"], required=[])

    assert rejected.value.total == 6
    assert rejected.value.errors == [
        f"ligne 2 : a : {FORMULA_REASON}",
        f"ligne 2 : b : {FORMULA_REASON}",
        more_errors(4),
    ]
