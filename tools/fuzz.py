"""Long fuzz campaigns against the readers of uploaded files (targets in tests/fuzz/targets.py).

    .venv/bin/python tools/fuzz.py [--target csv --target xlsx …] [--cases 2000] [--rng-seed 1]
        [--seed-file NAME] [--only-case N] [--save-failures DIR]

For each target, `--cases` mutated files spread over its seed files (each seed gets its share, its own rng seed
derived from `--rng-seed` and its rank), checked by the same oracle as the fuzz tests: the file is imported, or
refused with a French reason; anything else is a failure, printed with what reproduces it. The writing targets run
on a throw-away test database (in memory on SQLite, the default), each case in a savepoint rolled back. Prints,
per target: cases, refused, accepted, failures, the slowest case (CPU time, so that other processes on the machine
do not count), the case that raised the process's peak memory most (or, with --tracemalloc, the largest Python peak
of one case: tracemalloc slows every allocation, a million empty rows by a factor of fifty) and the process's
peak memory."""

import argparse
import os
import resource
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", action="append", help="cible (plusieurs possibles ; toutes par défaut)")
    parser.add_argument("--cases", type=int, default=2000, help="cas par cible (répartis entre ses fichiers)")
    parser.add_argument("--rng-seed", type=int, default=1, help="graine du tirage des mutations")
    parser.add_argument("--seed-file", help="un seul fichier de départ (son nom tel qu'un échec l'affiche)")
    parser.add_argument("--only-case", type=int, help="un seul cas (son numéro tel qu'un échec l'affiche)")
    parser.add_argument("--save-failures", type=Path, help="dossier où écrire le fichier de chaque échec")
    parser.add_argument("--list", action="store_true", help="liste les cibles et leurs fichiers de départ")
    parser.add_argument(
        "--tracemalloc", action="store_true", help="mesure la mémoire Python de chaque cas (plus lent ; temps faussés)"
    )
    parser.add_argument("--verbose", action="store_true", help="une ligne par fichier de départ, à son début")
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    # openpyxl warns about the parts of a workbook it does not read; the platform's logs keep them, not this report.
    warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
    import django

    django.setup()
    import openpyxl  # noqa: F401 (loaded once here, not inside the first workbook case: its time and memory)

    from tests.fuzz.targets import TARGETS

    names = arguments.target or list(TARGETS)
    unknown = [name for name in names if name not in TARGETS]
    if unknown:
        parser.error(f"cible inconnue : {', '.join(unknown)} (cibles : {', '.join(TARGETS)})")
    targets = [TARGETS[name] for name in names]
    if any(target.needs_database for target in targets) and not arguments.list:
        from django.db import connection

        connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    failures = 0
    for target in targets:
        seeds = target.seeds()
        if arguments.seed_file:
            seeds = [seed for seed in seeds if seed.name == arguments.seed_file]
        if arguments.list:
            print(f"{target.name} : {target.description}")
            for seed in seeds:
                print(f"  {seed.name}")
            continue
        failures += _campaign(target, seeds, arguments)
    if not arguments.list:
        print(f"{len(targets)} cible(s), {failures} échec(s)" + (" : voir « ÉCHEC » ci-dessus." if failures else "."))
    return 1 if failures else 0


def _campaign(target, seeds, arguments) -> int:
    from tests.fuzz.mutate import Case
    from tests.fuzz.targets import TARGETS, Finding, make_world, seed_rng

    world = make_world() if target.needs_database else None
    all_seeds = TARGETS[target.name].seeds()
    per_seed = max(1, arguments.cases // max(1, len(seeds)))
    counts = {"accepted": 0, "refused": 0}
    found: list[Finding] = []
    slowest = (0.0, "")
    peak = (0, "")
    started = time.monotonic()
    for seed in seeds:
        if arguments.verbose:
            print(f"  {target.name} : {seed.name}…", flush=True)
        rank = next(index for index, candidate in enumerate(all_seeds) if candidate.name == seed.name)
        rng_seed = seed_rng(arguments.rng_seed, rank)
        # The seed itself first, untimed: it loads what the reader imports at its first call (openpyxl…), and a
        # seed must pass the oracle too.
        try:
            target.check(seed, Case(seed.data, "seed"), rng_seed=rng_seed, world=world)
        except Finding as finding:
            found.append(finding)
            print(f"ÉCHEC (fichier de départ) {finding}", flush=True)
        for case in target.cases(seed, count=per_seed, rng_seed=rng_seed):
            number = int(case.mutation.split(":")[0].removeprefix("case "))
            if arguments.only_case is not None and number != arguments.only_case:
                continue
            traced = arguments.tracemalloc
            if traced:
                tracemalloc.start()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            began = time.process_time()
            try:
                counts[target.check(seed, case, rng_seed=rng_seed, world=world)] += 1
            except Finding as finding:
                found.append(finding)
                print(f"ÉCHEC {finding}", flush=True)
                if arguments.save_failures:
                    _save(arguments.save_failures, target.name, seed, case, rng_seed)
            finally:
                elapsed = time.process_time() - began
                growth = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
                if traced:
                    _current, case_peak = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
            where = f"{seed.name} (rng_seed={rng_seed}, {case.mutation}, {len(case.data)} octets)"
            slowest = max(slowest, (elapsed, where))
            peak = max(peak, (case_peak if traced else growth * 1024, where))
    total = counts["accepted"] + counts["refused"] + len(found)
    traced_note = " (sous tracemalloc, qui ralentit)" if arguments.tracemalloc else ""
    memory_label = (
        "mémoire Python maximale d'un cas (tracemalloc)"
        if arguments.tracemalloc
        else "plus forte hausse de la mémoire du processus pendant un cas"
    )
    print(
        f"{target.name} : {total} cas en {time.monotonic() - started:.1f} s ({len(seeds)} fichiers de départ, "
        f"graine {arguments.rng_seed}) : {counts['refused']} refusés, {counts['accepted']} acceptés, "
        f"{len(found)} échecs\n"
        f"  cas le plus lent : {slowest[0]:.3f} s de calcul{traced_note}, {slowest[1]}\n"
        f"  {memory_label} : {peak[0] / 1024 / 1024:.1f} Mo, {peak[1]}\n"
        f"  mémoire maximale du processus : {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} Mo",
        flush=True,
    )
    return len(found)


def _save(folder: Path, target: str, seed, case, rng_seed: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    number = case.mutation.split(":")[0].removeprefix("case ")
    safe = "".join(char if char.isalnum() or char in "-_." else "_" for char in seed.name)[-80:]
    (folder / f"{target}-{safe}-{rng_seed}-{number}{Path(seed.filename).suffix}").write_bytes(case.data)


if __name__ == "__main__":
    sys.exit(main())
