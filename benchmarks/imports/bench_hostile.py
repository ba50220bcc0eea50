"""Benchmark: hostile import files against a normal one, through each import path, each in a process of its own.

Run from the project root (any database; PostgreSQL as the other benchmarks):
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app .venv/bin/python benchmarks/imports/bench_hostile.py

For each import (markets, annex responses, clause hours) it imports, through the service and with the web upload
limits, in a new Python process (tests/hostile_child.py, Django start-up included):
- the baseline: a normal valid CSV of --rows rows (default 1,000), really imported (then rolled back);
- a CSV whose header holds --columns columns (default 100,000: 200 kB);
- a workbook of about 200 kB holding --bomb-rows rows (default 300,000);
- the same normal rows as an OpenDocument spreadsheet (.ods, as LibreOffice writes it), really imported: its ratio
  to the CSV is the cost of reading an ODS;
- ODS forged to cost nothing to send: one row with content repeated 1,000,000 times (`table:number-rows-repeated`),
  one cell with content repeated 10^9 times (`table:number-columns-repeated`), a header of --columns repeated cells,
  and a zip bomb (500,000 rows written out).
Then, in this process, the reading alone (`read_table` of procurement/tabular.py, best of 3) of the same normal
rows as CSV and as ODS, at --rows and at --read-rows (default 100,000), without Django's start-up.
It prints each run's CPU time (user + system, from the parent's RUSAGE_CHILDREN), wall time and peak memory
(the child's VmHWM), the ratios to the baseline, and the refusal's reason. Target: every hostile file refused in
under 2 s of CPU and 200 MB. Nothing is left in the database: each child works in a transaction rolled back.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from tests.hostile_imports import (  # noqa: E402
    HEADERS,
    PATHS,
    csv_of,
    import_in_child,
    ods_bytes,
    ods_column_bomb,
    ods_row_bomb,
    ods_wide_header,
    ods_zip_bomb,
    row_bomb_xlsx,
    valid_rows,
    wide_header_csv,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000, help="rows of the valid baseline file (1,000)")
    parser.add_argument("--columns", type=int, default=100_000, help="columns of the wide header (100,000)")
    parser.add_argument("--bomb-rows", type=int, default=300_000, help="rows of the small workbook (300,000)")
    parser.add_argument("--read-rows", type=int, default=100_000, help="rows of the reading-only comparison")
    parser.add_argument("--settings", default=harness.SETTINGS, help="DJANGO_SETTINGS_MODULE of the children")
    arguments = parser.parse_args()
    env = harness.child_env(arguments.settings)
    print(f"{'import':<13} {'fichier':<38} {'CPU':>7} {'mur':>7} {'pic':>8} {'× CPU':>6} {'× pic':>6}  issue")
    with tempfile.TemporaryDirectory() as directory:
        for path in PATHS:
            rows = valid_rows(path, arguments.rows)
            files = {
                f"valide, {arguments.rows} lignes": ("valide.csv", csv_of(rows)),
                f"en-tête de {arguments.columns} col.": ("en-tete.csv", wide_header_csv(arguments.columns)),
                f"classeur de {arguments.bomb_rows} l.": (
                    "lignes.xlsx",
                    row_bomb_xlsx(HEADERS[path], arguments.bomb_rows),
                ),
                f"ODS valide, {arguments.rows} lignes": ("valide.ods", ods_bytes(rows)),
                "ODS, ligne × 1 000 000": ("lignes.ods", ods_row_bomb(HEADERS[path], 1_000_000)),
                "ODS, cellule × 10^9": ("colonnes.ods", ods_column_bomb(HEADERS[path], 10**9)),
                f"ODS, en-tête de {arguments.columns} col.": ("en-tete.ods", ods_wide_header(arguments.columns)),
                "ODS, bombe zip": ("bombe.ods", ods_zip_bomb(HEADERS[path], 500_000)),
            }
            baseline = None
            for label, (name, content) in files.items():
                file = Path(directory) / f"{path}-{name}"
                file.write_bytes(content)
                run = import_in_child(path=path, file=file, env=env, timeout=3600)
                baseline = baseline or run
                outcome = (run.outcome.get("imported") or run.outcome["rejected"][0])[:70] + "…"
                label = f"{label} ({len(content) // 1024} ko)"
                print(
                    f"{path:<13} {label:<38} {run.cpu_seconds:6.2f}s {run.wall_seconds:6.2f}s {run.peak_mb:6.0f}Mo "
                    f"{run.cpu_seconds / baseline.cpu_seconds:6.2f} {run.peak_mb / baseline.peak_mb:6.2f}  {outcome}"
                )

    print()
    compare_reading([arguments.rows, arguments.read_rows])


def compare_reading(counts: list[int]) -> None:
    """CPU time of `read_table` on the same rows as CSV and as ODS (best of 3), in this process."""
    harness.setup_django()
    from procurement.tabular import read_table

    print(f"{'lecture seule':<13} {'lignes':>8} {'CSV':>8} {'ODS':>8} {'ODS / CSV':>10}")
    for path in PATHS:
        for count in counts:
            rows = valid_rows(path, count)
            seconds = {}
            for name, content in (("csv", csv_of(rows)), ("ods", ods_bytes(rows))):
                runs = []
                for _ in range(3):
                    started = time.process_time()
                    read_table(content, filename=f"lignes.{name}", allowed=HEADERS[path], required=[])
                    runs.append(time.process_time() - started)
                seconds[name] = min(runs)
            print(
                f"{path:<13} {count:>8} {seconds['csv']:7.3f}s {seconds['ods']:7.3f}s "
                f"{seconds['ods'] / seconds['csv']:9.1f}×"
            )


if __name__ == "__main__":
    main()
