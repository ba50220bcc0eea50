"""Long fuzzing runs of the readers of uploaded documents (cahiers des charges, annex attachments).

    .venv/bin/python scripts/fuzz_documents.py --target stamping --cases 5000 --seed 1
    .venv/bin/python scripts/fuzz_documents.py --target attachments --cases 20000 --seed 7

`--cases` is the number of cases in all, shared between the seed files; every case is reproduced by its target,
seed file, rng seed and case number (printed with each failure):

    .venv/bin/python scripts/fuzz_documents.py --target stamping --seed 2 --only zen_of_python --case 50
 The summary gives the cases run, refused and
accepted, the failures and the slowest case. Exit status 1 when a case failed.
"""

import argparse
import os
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLOW_SECONDS = 2.0


def main() -> int:
    parser = argparse.ArgumentParser(description="Fuzzing des lecteurs de documents déposés.")
    parser.add_argument("--target", required=True, choices=("stamping", "attachments"))
    parser.add_argument("--cases", type=int, default=1000, help="nombre de cas en tout (partagés entre les graines)")
    parser.add_argument("--seed", type=int, default=0, help="graine du générateur (rng) : mêmes cas à chaque run")
    parser.add_argument("--only", default="", help="seulement les fichiers graines dont le nom contient ce texte")
    parser.add_argument("--case", type=int, help="seulement ce numéro de cas (pour reproduire un échec)")
    parser.add_argument("--save", type=Path, help="dossier où écrire les octets de chaque cas en échec")
    arguments = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from tests.fuzz.document_targets import TARGETS, FuzzFailure, run_case, target_cases

    target = TARGETS[arguments.target]
    seeds = {name: data for name, data in target.seeds().items() if arguments.only in name}
    if not seeds:
        print("Aucun fichier graine ne correspond.", file=sys.stderr)
        return 2
    per_seed = max(1, arguments.cases // len(seeds))
    counts = {"cases": 0, "refused": 0, "accepted": 0}
    failures: list[str] = []
    slowest = (0.0, "")
    slow: list[str] = []
    started = time.perf_counter()
    for seed_name, seed in seeds.items():
        count = per_seed if arguments.case is None else arguments.case + 1
        for number, case in enumerate(target_cases(target, seed_name, seed, count=count, rng_seed=arguments.seed)):
            if arguments.case is not None and number != arguments.case:
                continue
            counts["cases"] += 1
            where = f"{seed_name} ({len(case.data)} octets), rng {arguments.seed}, {case.mutation}"
            try:
                outcome = run_case(target, seed_name, case)
            except FuzzFailure as failure:
                cause = failure.__cause__
                detail = "".join(traceback.format_exception(cause)[-3:]).strip() if cause else ""
                failures.append(f"{failure}\n    {detail}".rstrip())
                if arguments.save:
                    arguments.save.mkdir(parents=True, exist_ok=True)
                    (arguments.save / f"{seed_name}-rng{arguments.seed}-case{number}.bin").write_bytes(case.data)
                continue
            counts["accepted" if outcome.accepted else "refused"] += 1
            if outcome.seconds > slowest[0]:
                slowest = (outcome.seconds, where)
            if outcome.seconds > SLOW_SECONDS:
                slow.append(f"{outcome.seconds:.2f} s : {where}")
    elapsed = time.perf_counter() - started
    each = f"{per_seed} cas chacun" if arguments.case is None else f"cas n° {arguments.case}"
    print(f"cible {target.name}, graine {arguments.seed}, {len(seeds)} fichiers, {each}")
    print(
        f"cas : {counts['cases']}, refusés : {counts['refused']}, acceptés : {counts['accepted']}, "
        f"échecs : {len(failures)} ({elapsed:.1f} s)"
    )
    print(f"cas le plus lent : {slowest[0]:.3f} s, {slowest[1]}")
    for line in slow:
        print(f"lent : {line}")
    for failure in failures:
        print(f"ÉCHEC : {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
