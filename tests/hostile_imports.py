"""Hostile import files, built at run time (deterministic), and a way to import one in a process of its own to
measure that process's CPU time and peak memory. Used by tests/test_hostile_imports.py and by
benchmarks/imports/bench_hostile.py.

OpenDocument spreadsheets (.ods) are written here as LibreOffice writes them (`ods_package`, `ods_table`): a
`mimetype` part first and stored, a `content.xml` whose rows end with the empty cells repeated up to the sheet's
last column and whose sheet ends with the empty rows repeated down to its last row."""

import datetime
import html
import io
import json
import os
import resource
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from procurement.spreadsheets import ODS
from tests.utils import CLAUSE_HOURS_COLUMNS, xlsx_bytes

ROOT = Path(__file__).resolve().parent.parent

# The three import paths: (module, function) of the service, and the columns of their files.
PATHS = {
    "markets": ("procurement.services.market_import", "import_markets"),
    "annexes": ("questionnaire.services.annex_import", "import_annexes"),
    "clause_hours": ("clauses.services.hours_import", "import_clause_hours"),
}
HEADERS = {
    "markets": ["reference", "title", "market_type", "published_on", "insertion_hours_planned", "has_base_vie"],
    "annexes": ["siret", "name", "submitted_at", "market_reference", "cadres_f", "cadres_h", "has_board"],
    # Without the optional job_dominance: the rows of `valid_rows` hold the nine others.
    "clause_hours": [column for column in CLAUSE_HOURS_COLUMNS if column != "job_dominance"],
}
# Markets the child process creates before an import (hours and annex rows refer to them).
MARKET_REFERENCES = [f"2026-M-{index:03d}" for index in range(1, 21)]


def create_reference_markets(organisation, references: list[str] = MARKET_REFERENCES) -> None:
    """The markets that the files of `valid_rows` (and the model files) name, for `organisation`: works with
    execution dates and planned insertion hours, so that annex and clause-hours rows can refer to them."""
    from procurement.models import Market

    Market.objects.bulk_create(
        Market(
            organisation=organisation,
            reference=reference,
            title="Marché de référence",
            market_type="travaux",
            published_on=datetime.date(2024, 12, 1),
            execution_start=datetime.date(2025, 1, 1),
            execution_end=datetime.date(2026, 12, 31),
            insertion_hours_planned=Decimal(5000),
        )
        for reference in references
    )


def wide_header_csv(columns: int = 100_000) -> bytes:
    """A 200 kB CSV whose header holds the same name `columns` times (the duplicate check was quadratic)."""
    return (",".join(["a"] * columns) + "\n" + "x\n").encode()


def with_sheet(workbook: bytes, sheet_xml: bytes, *, compresslevel: int = 9) -> bytes:
    """`workbook` with its first sheet's XML replaced (every other part copied as it is)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as target:
        for info in source.infolist():
            data = sheet_xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            target.writestr(info.filename, data)
    return buffer.getvalue()


def row_bomb_xlsx(header: list[str], rows: int = 300_000) -> bytes:
    """A workbook of about 200 kB holding `rows` rows under `header`, as small as the one of the security review:
    one short text cell a row, a number every sixth row, so that the sheet compresses about 80 times (under the
    ratio of a zip bomb) and only its row count gives it away. The sheet does not declare its size."""
    head = "".join(f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in header)
    body = "".join(
        f'<row><c t="inlineStr"><is><t>{line if line % 6 == 0 else "x"}</t></is></c></row>'
        for line in range(2, rows + 2)
    )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"<row>{head}</row>{body}</sheetData></worksheet>"
    ).encode()
    return with_sheet(xlsx_bytes([header]), sheet)


def truncated_sheet_xlsx(rows: list[list]) -> bytes:
    """A valid zip whose sheet XML stops in the middle of a row (a download cut short, then re-zipped)."""
    workbook = xlsx_bytes(rows)
    sheet = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/worksheets/sheet1.xml")
    return with_sheet(workbook, sheet[: sheet.index(b'<row r="2"') + 30])


ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
# What LibreOffice writes after the last cell of a row and after the last row of a sheet (1,048,576 rows of
# 16,384 cells in all).
ODS_SHEET_COLUMNS = 16_384
ODS_SHEET_ROWS = 1_048_576


def ods_content(tables: str, *, prolog: str = "") -> bytes:
    """A content.xml holding `tables` (table:table elements), after `prolog` (a DOCTYPE, say)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<office:document-content {ODS_NAMESPACES} office:version="1.3">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"
    ).encode()


def ods_package(
    content: bytes | None,
    *,
    mimetype: str = ODS,
    compresslevel: int = 6,
    manifest: bytes | None = None,
) -> bytes:
    """An ODS archive: the `mimetype` part first and stored, then `content` as content.xml (none when None) and the
    manifest (LibreOffice's, listing content.xml, unless given)."""
    if manifest is None:
        manifest = (
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
            f'<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
            '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
            "</manifest:manifest>"
        ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        if content is not None:
            archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED, compresslevel)
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods_cell(value: object, *, repeated: int = 1) -> str:
    """A cell as LibreOffice writes it: a number as a float with its value, a date as a date, text as a paragraph;
    `repeated` times (`table:number-columns-repeated`)."""
    repeat = f' table:number-columns-repeated="{repeated}"' if repeated > 1 else ""
    if value is None or value == "":
        return f"<table:table-cell{repeat}/>"
    if isinstance(value, bool):
        kind, shown = f'"boolean" office:boolean-value="{str(value).lower()}"', str(value).upper()
    elif isinstance(value, int | float):
        kind, shown = f'"float" office:value="{value}"', str(value)
    elif isinstance(value, datetime.date):
        kind, shown = f'"date" office:date-value="{value.isoformat()}"', value.strftime("%d/%m/%Y")
    else:
        kind, shown = '"string"', html.escape(str(value), quote=False)
    return f"<table:table-cell{repeat} office:value-type={kind}><text:p>{shown}</text:p></table:table-cell>"


def ods_table(rows: list[list], *, name: str = "Feuille1") -> str:
    """A sheet of `rows` (Python values), with LibreOffice's repeated empty cells and rows up to the sheet's end."""
    body = "".join(
        f"<table:table-row>{''.join(ods_cell(value) for value in row)}"
        f'<table:table-cell table:number-columns-repeated="{ODS_SHEET_COLUMNS - len(row)}"/></table:table-row>'
        for row in rows
    )
    tail = (
        f'<table:table-row table:number-rows-repeated="{ODS_SHEET_ROWS - len(rows)}">'
        f'<table:table-cell table:number-columns-repeated="{ODS_SHEET_COLUMNS}"/></table:table-row>'
    )
    return (
        f'<table:table table:name="{html.escape(name)}"><table:table-column '
        f'table:number-columns-repeated="{ODS_SHEET_COLUMNS}"/>{body}{tail}</table:table>'
    )


def ods_bytes(rows: list[list], *, name: str = "Feuille1") -> bytes:
    """An ODS whose one sheet holds `rows`, as an uploaded file's bytes."""
    return ods_package(ods_content(ods_table(rows, name=name)))


def _ods_header_row(header: list[str]) -> str:
    return f"<table:table-row>{''.join(ods_cell(name) for name in header)}</table:table-row>"


def ods_row_bomb(header: list[str], rows: int = 1_000_000) -> bytes:
    """A tiny ODS whose one row with content repeats `rows` times (`table:number-rows-repeated`)."""
    row = f'<table:table-row table:number-rows-repeated="{rows}">{ods_cell("x")}</table:table-row>'
    return ods_package(ods_content(f'<table:table table:name="A">{_ods_header_row(header)}{row}</table:table>'))


def ods_column_bomb(header: list[str], columns: int = 10**9) -> bytes:
    """A tiny ODS whose second row holds one cell with content repeated `columns` times."""
    row = f"<table:table-row>{ods_cell('x', repeated=columns)}</table:table-row>"
    return ods_package(ods_content(f'<table:table table:name="A">{_ods_header_row(header)}{row}</table:table>'))


def ods_wide_header(columns: int = 100_000) -> bytes:
    """An ODS whose header is one named cell repeated `columns` times, as the wide CSV header."""
    row = f"<table:table-row>{ods_cell('a', repeated=columns)}</table:table-row>"
    return ods_package(ods_content(f'<table:table table:name="A">{row}</table:table>'))


def ods_zip_bomb(header: list[str], rows: int = 2_000_000) -> bytes:
    """An ODS whose content.xml holds `rows` identical rows written out: about 100 MB of XML in a small file."""
    row = f"<table:table-row>{ods_cell('x')}</table:table-row>"
    return ods_package(
        ods_content(f'<table:table table:name="A">{_ods_header_row(header)}{row * rows}</table:table>'),
        compresslevel=9,
    )


def ods_billion_laughs() -> bytes:
    """An ODS whose content.xml declares entities that expand a billion times (« billion laughs »)."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{level} "{("&lol" + (str(level - 1) if level > 1 else "") + ";") * 10}">'
        for level in range(1, 10)
    )
    prolog = f"<!DOCTYPE office:document-content [{entities}]>"
    cell = ods_cell("rire").replace("rire", "&lol9;")  # the entity written as such, not escaped
    table = f'<table:table table:name="A"><table:table-row>{cell}</table:table-row></table:table>'
    return ods_package(ods_content(table, prolog=prolog))


def ods_truncated(rows: list[list]) -> bytes:
    """A valid zip whose content.xml stops in the middle of line 2 (a download cut short, then re-zipped)."""
    content = ods_content(ods_table(rows))
    second_row = content.index(b"<table:table-row>", content.index(b"<table:table-row>") + 1)
    return ods_package(content[: second_row + 60])


def valid_rows(path: str, count: int = 1_000) -> list[list]:
    """A normal file of `count` rows for `path`: the baseline a hostile file is compared with."""
    from procurement.validators import with_luhn_key

    header = HEADERS[path]
    rows: list[list] = [header]
    for index in range(count):
        if path == "markets":
            rows.append([f"2026-B-{index:04d}", f"Marché {index}", "travaux", "2026-01-15", "350", "non"])
        elif path == "annexes":
            siret = with_luhn_key(f"7{index:05d}0000000")
            day = datetime.date(2025, 1, 1) + datetime.timedelta(days=index % 300)
            rows.append([siret, f"Entreprise {index}", day.isoformat(), MARKET_REFERENCES[index % 20], 3, 5, "non"])
        else:
            siret = with_luhn_key(f"8{index % 50:012d}")
            rows.append(
                [MARKET_REFERENCES[index % 20], f"P-{index // 12}", "F", 1990, siret, "Maçon·ne", "CDDI"]
                + [f"2025-{index % 12 + 1:02d}", "35"]
            )
    return rows


def csv_of(rows: list[list]) -> bytes:
    return "\n".join(";".join(str(cell) for cell in row) for row in rows).encode() + b"\n"


@dataclass(frozen=True)
class ChildRun:
    outcome: dict  # {"rejected": [first reasons], "errors": N} or {"imported": summary}; and "peak_kb"
    cpu_seconds: float  # user + system time of the whole child process (Django start-up included)
    wall_seconds: float

    @property
    def peak_mb(self) -> float:
        return self.outcome["peak_kb"] / 1024

    @property
    def reasons(self) -> str:
        return "\n".join(self.outcome.get("rejected", []))


def import_in_child(*, path: str, file: Path, env: dict[str, str], timeout: float = 120) -> ChildRun:
    """Imports `file` through `path`'s service in a new Python process (settings and database from `env`)."""
    import time

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    completed = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "tests.hostile_child", path, str(file)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode != 0:
        raise RuntimeError(f"the child import failed:\n{completed.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return ChildRun(outcome=json.loads(completed.stdout.strip().splitlines()[-1]), cpu_seconds=cpu, wall_seconds=wall)
