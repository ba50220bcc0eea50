"""Benchmark: loading the published Egapro file (`import_egapro`), each load in a process of its own.

Run from the project root:
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app .venv/bin/python benchmarks/registers/bench_egapro.py

It writes a `;` CSV in the published layout of --rows rows (default 200,000: about the size of every year of the
real file), with UES rows, then in a new Python process each (Django start-up included):
- the floor: reading the same file with procurement/tabular.py's `stream_table`, every row parsed, nothing written;
- the baseline: loading a file of 1,000 rows with `import_egapro`;
- the load of the large file with `import_egapro`;
- a hostile file: the 1,000 rows with one « Entreprises UES (SIREN) » cell of --hostile-cell characters (default
  100,000) whose last member has no bracketed SIREN, against the 1,000-row baseline (a backtracking pattern made
  it quadratic: about 80 s of CPU before, for 100 kB).
It prints each run's wall time and peak memory (the child's VmHWM), and the ratios: the load against the floor
(time), and the large load's peak against the small one's (memory must not grow with the file beyond the file's
own bytes). Target: peak memory < 2 x the 1,000-row load's plus the file's size. The database keeps the last load:
run it on a scratch database.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

CHILD = """
import os, sys, time
import django
django.setup()
from pathlib import Path
path = Path(sys.argv[2])
started = time.monotonic()
if sys.argv[1] == "read":
    from procurement.tabular import stream_table
    from registers import enums
    columns, rows = stream_table(path.read_bytes(), filename=path.name,
        allowed=[c.lower() for c in enums.COLUMNS], required=[], max_bytes=None)
    count = sum(1 for _ in rows)
else:
    from registers.services import import_egapro
    count = import_egapro(content=path.read_bytes(), filename=path.name).load.rows
elapsed = time.monotonic() - started
peak = next(line for line in open("/proc/self/status") if line.startswith("VmHWM")).split()[1]
print(count, f"{elapsed:.2f}", int(peak) // 1024)
"""


def egapro_csv(rows: int) -> bytes:
    harness.setup_django()
    from tests.registers.factories import CSV_HEADER, egapro_row

    lines = [";".join(CSV_HEADER)]
    for number in range(rows):
        year = 2019 + number % 7
        ues = number % 50 == 0
        row = egapro_row(
            year=year,
            siren=f"{100000000 + number // 7:09d}",
            name=f"ENTREPRISE {number}",
            structure="Unité Economique et Sociale (UES)" if ues else "Entreprise",
            ues_name=f"UES {number}" if ues else "",
            ues_members=f"FILIALE A, B ({200000000 + number:09d}),FILIALE C ({300000000 + number:09d})" if ues else "",
            index=str(40 + number % 61) if number % 13 else "NC",
        )
        lines.append(";".join(str(row.get(column, "")) for column in CSV_HEADER))
    return ("\n".join(lines) + "\n").encode()


def hostile_csv(characters: int) -> bytes:
    """The 1,000-row file whose first UES cell ends with `characters` brackets, no bracketed SIREN after them."""
    return egapro_csv(1_000).replace(b"FILIALE C (", b"FILIALE C (" + b"[" * characters, 1)


def run(mode: str, path: Path, env: dict) -> tuple[int, float, int]:
    started = time.monotonic()
    output = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path)], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    wall = time.monotonic() - started
    return int(output[0]), wall, int(output[2])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the large file (200,000)")
    parser.add_argument("--hostile-cell", type=int, default=100_000, help="characters of the hostile cell (100,000)")
    parser.add_argument("--settings", default=harness.SETTINGS, help="DJANGO_SETTINGS_MODULE of the children")
    arguments = parser.parse_args()
    env = harness.child_env(arguments.settings)
    with tempfile.TemporaryDirectory() as directory:
        small, large = Path(directory) / "petit.csv", Path(directory) / "index-egalite-fh.csv"
        small.write_bytes(egapro_csv(1_000))
        large.write_bytes(egapro_csv(arguments.rows))
        size_mb = large.stat().st_size / 1024 / 1024
        floor = run("read", large, env)
        baseline = run("load", small, env)
        load = run("load", large, env)
        hostile = Path(directory) / "hostile.csv"
        hostile.write_bytes(hostile_csv(arguments.hostile_cell))
        hostile_load = run("load", hostile, env)
    print(f"fichier : {arguments.rows} lignes, {size_mb:.1f} Mo")
    print(f"{'passe':<28} {'lignes':>8} {'mur (s)':>8} {'pic (Mo)':>9}")
    for label, (count, wall, peak) in (
        ("lecture seule (plancher)", floor),
        ("chargement de 1 000 lignes", baseline),
        (f"chargement de {arguments.rows} lignes", load),
        ("1 000 lignes, cellule hostile", hostile_load),
    ):
        print(f"{label:<28} {count:>8} {wall:>8.2f} {peak:>9}")
    print(f"chargement / lecture seule : {load[1] / floor[1]:.2f} × (temps)")
    hostile_ratio = hostile_load[1] / baseline[1]
    print(f"cellule hostile de {arguments.hostile_cell} caractères / 1 000 lignes : {hostile_ratio:.2f} × (temps)")
    print(f"pic du grand chargement / pic du petit : {load[2] / baseline[2]:.2f} × (fichier : {size_mb:.1f} Mo)")


if __name__ == "__main__":
    main()
