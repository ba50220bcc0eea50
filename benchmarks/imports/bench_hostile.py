"""Benchmark: hostile import files against a normal one, through each import path, each in a process of its own.

Run from the project root (any database; PostgreSQL as the other benchmarks):
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app .venv/bin/python benchmarks/imports/bench_hostile.py

For each import (markets, annex responses, clause hours) it imports, through the service and with the web upload
limits, in a new Python process (tests/hostile_child.py, Django start-up included):
- the baseline: a normal valid CSV of --rows rows (default 1,000), really imported (then rolled back);
- a CSV whose header holds --columns columns (default 100,000: 200 kB);
- a workbook of about 200 kB holding --bomb-rows rows (default 300,000).
It prints each run's CPU time (user + system, from the parent's RUSAGE_CHILDREN), wall time and peak memory
(the child's VmHWM), the ratios to the baseline, and the refusal's reason. Target: every hostile file refused in
under 2 s of CPU and 200 MB. Nothing is left in the database: each child works in a transaction rolled back.
"""

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402
from tests.hostile_imports import (  # noqa: E402
    HEADERS,
    PATHS,
    csv_of,
    import_in_child,
    row_bomb_xlsx,
    valid_rows,
    wide_header_csv,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000, help="rows of the valid baseline file (1,000)")
    parser.add_argument("--columns", type=int, default=100_000, help="columns of the wide header (100,000)")
    parser.add_argument("--bomb-rows", type=int, default=300_000, help="rows of the small workbook (300,000)")
    parser.add_argument("--settings", default=harness.SETTINGS, help="DJANGO_SETTINGS_MODULE of the children")
    arguments = parser.parse_args()
    env = harness.child_env(arguments.settings)
    print(f"{'import':<13} {'fichier':<34} {'CPU':>7} {'mur':>7} {'pic':>8} {'× CPU':>6} {'× pic':>6}  issue")
    with tempfile.TemporaryDirectory() as directory:
        for path in PATHS:
            files = {
                f"valide, {arguments.rows} lignes": ("valide.csv", csv_of(valid_rows(path, arguments.rows))),
                f"en-tête de {arguments.columns} col.": ("en-tete.csv", wide_header_csv(arguments.columns)),
                f"classeur de {arguments.bomb_rows} l.": (
                    "lignes.xlsx",
                    row_bomb_xlsx(HEADERS[path], arguments.bomb_rows),
                ),
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
                    f"{path:<13} {label:<34} {run.cpu_seconds:6.2f}s {run.wall_seconds:6.2f}s {run.peak_mb:6.0f}Mo "
                    f"{run.cpu_seconds / baseline.cpu_seconds:6.2f} {run.peak_mb / baseline.peak_mb:6.2f}  {outcome}"
                )


if __name__ == "__main__":
    main()
