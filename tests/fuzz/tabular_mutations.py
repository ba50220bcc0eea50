"""Mutations of the VALUES of imported files, on top of the byte and markup mutations of tests/fuzz/mutate.py.

A byte mutation mostly breaks a file's syntax, so the readers refuse it before any cell parser sees a value. These
mutations keep the file well formed and change one value instead: a CSV cell, the text of an XML element (a
spreadsheet's cell or shared string, a DECP field) or an XML attribute value (a cell's type or number, an ODS
`office:value`), with texts that cell parsers get wrong (digits that are not ASCII, huge or not-a-number values,
impossible dates, formulas). Containers are mutated in one member and re-zipped, as the core does.

`import_cases` mixes both families from one `random.Random(rng_seed)`: a case is reproduced by (seed file, rng seed,
case number)."""

import random
import re
from collections.abc import Iterator

from tests.fuzz import mutate
from tests.fuzz.mutate import Case

# Cell texts that parsers of numbers, dates, months, years, choices and identifiers may get wrong.
CELL_VALUES = (
    "",
    " ",
    "\u00a0",
    "NC",
    "nc",
    "²",
    "¹⁹⁹⁰",
    "²⁰²⁴",
    "٣٤",  # Arabic-Indic digits: str.isdigit() says yes, int() reads them, a regex [0-9] does not
    "１２",  # full-width digits
    "1e400",
    "-1e400",
    "1E+999999999",
    "inf",
    "-Infinity",
    "NaN",
    "sNaN",
    "nan",
    "0x10",
    "1_000",
    "9" * 40,
    "-0",
    "+5",
    "-1",
    "0.1",
    "1,5",
    "1 000",
    "12\u202f500",
    "100.001",
    "45 %",
    "50\u00a0%",
    "2026-02-30",
    "31/02/2026",
    "29/02/2025",
    "00/00/0000",
    "2026-13-01",
    "13/2026",
    "00/2026",
    "2026-00",
    "9999-12-31",
    "0001-01-01",
    "0000-01-01",
    "99/99/9999",
    "2026-01-15T25:61",
    "2026-01-15T10:00+25:00",
    "2026-01-15T10:00:00.1234567890123Z",
    "20/11/2026 24h00",
    "20/11/2026 à 99:99",
    "=1+1",
    "@SUM(1)",
    "oui",
    "VRAI",
    "x" * 300,
    "é" * 3000,
    "\t",
    "'",
    '"',
    "\u2028",
    "\ufeff",
    "PT25H",
    "P-1D",
    "99999999999999",
    "552100554",
)
# Attribute values for spreadsheet XML: cell types of XLSX (`t`) and ODS (`office:value-type`), numbers, dates,
# durations, booleans and style or reference numbers outside their tables.
ATTRIBUTE_VALUES = (
    "n",
    "s",
    "b",
    "d",
    "e",
    "str",
    "inlineStr",
    "float",
    "percentage",
    "currency",
    "date",
    "time",
    "boolean",
    "string",
    "NaN",
    "INF",
    "-inf",
    "1e309",
    "-1e308",
    "1e-400",
    "2147483648",
    "-2147483649",
    "99999999999999999999",
    "0001-01-01T00:00:00",
    "9999-12-31T23:59:59.999999",
    "10000-01-01",
    "2026-02-30",
    "P999999999D",
    "PT-1H",
    "PT99999999999H",
    "true",
    "1",
    "A1048577",
    "XFE1",
    "0",
    "-1",
    "",
    "²",
    "of:=1+1",
)


def _interesting_text(rng: random.Random) -> str:
    value = rng.choice(CELL_VALUES)
    return value * rng.choice((1, 1, 1, 2)) if value else value


_CSV_SEPARATOR = re.compile(rb"[;,\r\n]")


def change_csv_cell(data: bytes, rng: random.Random) -> bytes:
    """Replaces the text between two separators (a cell, or part of a quoted one) by an interesting value."""
    bounds = [0, *(match.end() for match in _CSV_SEPARATOR.finditer(data))]
    # Mostly a cell under the header: the header's cells only reach the column check, the others the cell parsers.
    first_line_end = data.find(b"\n")
    below = [bound for bound in bounds if bound > first_line_end >= 0]
    start = rng.choice(below if below and rng.random() < 0.8 else bounds)
    match = _CSV_SEPARATOR.search(data, start)
    end = match.start() if match else len(data)
    encoding = "cp1252" if rng.random() < 0.1 else "utf-8"
    return data[:start] + _interesting_text(rng).encode(encoding, errors="replace") + data[end:]


_XML_TEXT = re.compile(rb">([^<>]+)<")
_XML_ATTRIBUTE = re.compile(rb"""=(["'])([^"'<>]*)\1""")


def change_xml_text(data: bytes, rng: random.Random) -> bytes:
    """Replaces the text of one element (`>…<`) by an interesting value, escaped for XML."""
    texts = list(_XML_TEXT.finditer(data))
    if not texts:
        return change_xml_attribute(data, rng)
    match = rng.choice(texts)
    value = _interesting_text(rng).replace("&", "&amp;").replace("<", "&lt;").encode()
    return data[: match.start(1)] + value + data[match.end(1) :]


def change_xml_attribute(data: bytes, rng: random.Random) -> bytes:
    """Replaces one attribute value by a cell type, a number, a date or a reference outside its range."""
    attributes = list(_XML_ATTRIBUTE.finditer(data))
    if not attributes:
        return mutate.flip_bytes(data, rng)
    match = rng.choice(attributes)
    return data[: match.start(2)] + rng.choice(ATTRIBUTE_VALUES).encode() + data[match.end(2) :]


def change_json_value(data: bytes, rng: random.Random) -> bytes:
    """Replaces one JSON string's content, or one number, by an interesting value (JSON-escaped), or a number by
    a string and the reverse."""
    tokens = list(re.finditer(rb'"((?:[^"\\]|\\.)*)"|(?<![\w."])-?[0-9][0-9.eE+-]*', data))
    if not tokens:
        return mutate.flip_bytes(data, rng)
    match = rng.choice(tokens)
    text = _interesting_text(rng)
    choice = rng.random()
    if choice < 0.6:
        escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
        value = f'"{escaped}"'.encode()
    elif choice < 0.8:
        value = rng.choice(
            (b"1e400", b"1E+999999999", b"-0", b"1" * 5000, b"0.0000000001", b"null", b"true", b"[]", b"{}", b"[[[]]]")
        )
    else:
        value = rng.choice((b"NaN", b"Infinity", b"-Infinity"))  # what Python's json reads beyond the standard
    return data[: match.start()] + value + data[match.end() :]


def _mutate_text(data: bytes, rng: random.Random, *, kind: str) -> tuple[bytes, str]:
    if kind == "csv":
        operation = rng.choice((change_csv_cell, change_csv_cell, change_csv_cell, *mutate.bytes_mutations()))
    elif kind == "json":
        operation = rng.choice((change_json_value, change_json_value, change_json_value, *mutate.bytes_mutations()))
    else:
        operation = rng.choice((change_xml_text, change_xml_text, change_xml_attribute, *mutate.xml_mutations()))
    return operation(data, rng), operation.__name__


def _mutate_member(data: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One value of one XML member changed, the archive written again (the core's other zip mutations aside)."""
    members = mutate.zip_members(data)
    if not members:
        return mutate.mutate_zip(data, rng)
    # The sheets and shared strings hold the values: drawn three times as often as other parts.
    weighted = [
        index
        for index, (info, _) in enumerate(members)
        if info.filename.endswith(".xml")
        for _ in range(3 if any(word in info.filename for word in ("sheet", "content", "string")) else 1)
    ]
    index = rng.choice(weighted or range(len(members)))
    info, content = members[index]
    operation = rng.choice((change_xml_text, change_xml_text, change_xml_attribute))
    members[index] = (info, operation(content, rng))
    return mutate.rezip(members), f"member {info.filename}: {operation.__name__}"


def import_cases(seed: bytes, *, count: int, rng_seed: int, kind: str) -> Iterator[Case]:
    """`count` mutations of `seed`, the same at every run for the same `rng_seed`. `kind` is « zip » (XLSX, ODS:
    half the core's zip mutations, half a value of a member), « csv », « json » or « xml »."""
    rng = random.Random(rng_seed)
    for number in range(count):
        if kind == "zip":
            data, mutation = mutate.mutate_zip(seed, rng) if rng.random() < 0.5 else _mutate_member(seed, rng)
        else:
            data, mutation = _mutate_text(seed, rng, kind=kind)
        yield Case(data=data, mutation=f"case {number}: {mutation}")
