"""Benchmark: the memory and time of refusing the largest file an upload allows when every cell is bad.

Run from the project root (any database; PostgreSQL as the other benchmarks):
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app .venv/bin/python benchmarks/imports/bench_errors.py

For each import (markets, annex responses, clause hours), every column of the import in the header, it imports in
a new Python process (tests/hostile_child.py, Django start-up included), with the web upload limits:
- the baseline: a normal valid CSV of --rows rows (default 1,000), really imported (then rolled back);
- a CSV of as many rows as MAX_IMPORT_ROWS and MAX_IMPORT_BYTES allow, each cell « zz » (bad wherever a column is
  not free text: a date, a number, a choice, a SIRET…);
- a workbook (XLSX) of MAX_IMPORT_ROWS rows whose every cell names a shared string of --text characters (default
  10,000, longer than any text column takes): one bad value quoted in every cell's reason, at almost no cost in
  bytes. A few different strings of random letters, picked at random, keep the sheet under the compression ratio
of a zip bomb.
It prints each run's CPU time (user + system), wall time and peak memory (the child's VmHWM), their ratios to the
baseline, the number of errors counted and listed. Target: every refusal under 500 MB; the first reasons listed are
those of the first bad rows. Nothing is left in the database: each child works in a transaction rolled back.
"""

import argparse
import io
import random
import string
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from tests.hostile_imports import PATHS, csv_of, import_in_child, valid_rows, with_sheet  # noqa: E402

# Different long texts of random letters in the workbook, one picked at random for each cell: the sheet and the
# shared strings compress less than MAX_XLSX_RATIO times (a zip bomb's), and the file stays under MAX_IMPORT_BYTES.
DISTINCT_TEXTS = 8


def import_columns(path: str) -> list[str]:
    """Every column an import reads, its technical name (the header of the files built here)."""
    harness.setup_django()
    if path == "markets":
        from procurement.services.market_import import COLUMNS
    elif path == "annexes":
        from questionnaire.services.annex_import import COLUMNS
    else:
        from clauses.services.hours_import import COLUMNS
    return list(COLUMNS)


def bad_csv(columns: list[str], *, max_rows: int, max_bytes: int) -> tuple[bytes, int]:
    """As many rows of « zz » cells as fit in `max_rows` and `max_bytes`, and their count."""
    line = ";".join("zz" for _ in columns) + "\n"
    header = ";".join(columns) + "\n"
    rows = min(max_rows, (max_bytes - len(header)) // len(line))
    return (header + line * rows).encode(), rows


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def bad_xlsx(columns: list[str], *, rows: int, text_length: int) -> bytes:
    """A workbook of `rows` rows under `columns`, each cell one of DISTINCT_TEXTS shared strings of `text_length`
    characters (picked at random, seed fixed)."""
    letters = random.Random(3)
    texts = ["".join(letters.choices(string.ascii_letters, k=text_length)) for _ in range(DISTINCT_TEXTS)]
    workbook = _shared_strings_workbook([*columns, *texts])  # the shared strings: the headings, then the texts
    first_text = len(columns)
    letters = [_column_letters(index) for index in range(len(columns))]
    pick = random.Random(7).randrange
    head = "".join(f'<c r="{letter}1" t="s"><v>{index}</v></c>' for index, letter in enumerate(letters))
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f'<row r="1">{head}</row>'
    ]
    for line in range(2, rows + 2):
        # Cells without their reference (r="A2"), as some writers save them: the largest sheet under the limits.
        cells = "".join(f'<c t="s"><v>{first_text + pick(DISTINCT_TEXTS)}</v></c>' for _letter in letters)
        parts.append(f'<row r="{line}">{cells}</row>')
    parts.append("</sheetData></worksheet>")
    assert escape(texts[0]).encode() in zipfile.ZipFile(io.BytesIO(workbook)).read("xl/sharedStrings.xml")
    return with_sheet(workbook, "".join(parts).encode(), compresslevel=6)


def _shared_strings_workbook(texts: list[str]) -> bytes:
    """A workbook whose shared strings are `texts`, in order (xlsxwriter writes each text once, as Excel does)."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    for index, text in enumerate(texts):
        sheet.write_string(0, index, text)
    workbook.close()
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000, help="rows of the valid baseline file (1,000)")
    parser.add_argument("--text", type=int, default=10_000, help="characters of the workbook's bad text (10,000)")
    parser.add_argument("--bad-rows", type=int, default=None, help="rows of the bad files (MAX_IMPORT_ROWS)")
    parser.add_argument("--only", choices=sorted(PATHS), action="append", help="one import (repeatable)")
    parser.add_argument("--formats", default="csv,xlsx", help="the bad files measured: csv, xlsx or both (csv,xlsx)")
    parser.add_argument("--settings", default=harness.SETTINGS, help="DJANGO_SETTINGS_MODULE of the children")
    arguments = parser.parse_args()
    env = harness.child_env(arguments.settings)
    harness.setup_django()
    from procurement.tabular import MAX_IMPORT_BYTES, MAX_IMPORT_ROWS

    max_rows = arguments.bad_rows or MAX_IMPORT_ROWS
    print(
        f"{'import':<13} {'fichier':<40} {'CPU':>8} {'mur':>8} {'pic':>8} {'× CPU':>6} {'× pic':>6} "
        f"{'erreurs':>10} {'listées':>8}  première raison"
    )
    with tempfile.TemporaryDirectory() as directory:
        for path in arguments.only or PATHS:
            columns = import_columns(path)
            formats = arguments.formats.split(",")
            files = {f"valide, {arguments.rows} lignes": ("valide.csv", csv_of(valid_rows(path, arguments.rows)))}
            if "csv" in formats:
                csv_content, csv_rows = bad_csv(columns, max_rows=max_rows, max_bytes=MAX_IMPORT_BYTES)
                files[f"CSV, {csv_rows} l. × {len(columns)} col."] = ("erreurs.csv", csv_content)
            if "xlsx" in formats:
                xlsx_content = bad_xlsx(columns, rows=max_rows, text_length=arguments.text)
                files[f"XLSX, {max_rows} l. × {len(columns)} col."] = ("erreurs.xlsx", xlsx_content)
            baseline = None
            for label, (name, content) in files.items():
                file = Path(directory) / f"{path}-{name}"
                file.write_bytes(content)
                run = import_in_child(path=path, file=file, env=env, timeout=7200)
                baseline = baseline or run
                outcome = run.outcome
                first = (outcome.get("imported") or outcome["rejected"][0])[:60] + "…"
                listed = len(outcome.get("rejected", []))
                total = outcome.get("errors", 0)
                label = f"{label} ({len(content) / 1024 / 1024:.1f} Mo)"
                print(
                    f"{path:<13} {label:<40} {run.cpu_seconds:7.1f}s {run.wall_seconds:7.1f}s {run.peak_mb:6.0f}Mo "
                    f"{run.cpu_seconds / baseline.cpu_seconds:6.1f} {run.peak_mb / baseline.peak_mb:6.1f} "
                    f"{total:>10} {outcome.get('listed', listed):>8}  {first}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
