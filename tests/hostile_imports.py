"""Hostile import files, built at run time (deterministic), and a way to import one in a process of its own to
measure that process's CPU time and peak memory. Used by tests/test_hostile_imports.py and by
benchmarks/imports/bench_hostile.py."""

import datetime
import io
import json
import os
import resource
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

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


def wide_header_csv(columns: int = 100_000) -> bytes:
    """A 200 kB CSV whose header holds the same name `columns` times (the duplicate check was quadratic)."""
    return (",".join(["a"] * columns) + "\n" + "x\n").encode()


def _with_sheet(workbook: bytes, sheet_xml: bytes) -> bytes:
    """`workbook` with its first sheet's XML replaced (every other part copied as it is)."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
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
    return _with_sheet(xlsx_bytes([header]), sheet)


def truncated_sheet_xlsx(rows: list[list]) -> bytes:
    """A valid zip whose sheet XML stops in the middle of a row (a download cut short, then re-zipped)."""
    workbook = xlsx_bytes(rows)
    sheet = zipfile.ZipFile(io.BytesIO(workbook)).read("xl/worksheets/sheet1.xml")
    return _with_sheet(workbook, sheet[: sheet.index(b'<row r="2"') + 30])


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
