"""Benchmark: importing a DECP file of 100,000 contracts (a region's year) against the standard library's parse of
the same file plus a COPY of the same rows.

Run from the project root, against PostgreSQL:
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app .venv/bin/python benchmarks/decp/bench_import.py [--contracts N]

It generates N contracts (default 100,000) as one JSON file of the regulatory format 2.0 (official shape: three
contracts in ten with a modification, one in five with a groupement, one in ten with a subcontractor; a tenth
belong to other buyers, as in a consolidated file), then times:
- `import_decp`'s service on that file into an empty organisation (read in a stream, validate each contract against
  the official schema, normalise, match, write markets, awards, titulaires, history) and its peak memory (the
  process's maximum resident set, Django included), then the same file again (every contract unchanged);
- the floor: `json.load` of the same file (the standard library, whole file in memory), plus a PostgreSQL COPY of
  the rows the import wrote (markets, awards, titulaires, history) back into their tables, indexes, constraints and
  foreign keys included, commit included.
Prints the times, the ratio import / floor (target ≤ 3) and the peak memory (target < 500 MB). The benchmark's
organisation and its data are removed at the end; the rest of the database is not touched.
"""

import argparse
import io
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

harness.setup_django()

from django.db import connection, transaction  # noqa: E402

from procurement.awards.demo import market_record, modification_record  # noqa: E402
from procurement.awards.services import import_decp, summary  # noqa: E402
from procurement.models import (  # noqa: E402
    DecpImport,
    Market,
    MarketAward,
    MarketHistoryEntry,
    MarketHolder,
    Organisation,  # noqa: E402
)
from procurement.validators import with_luhn_key  # noqa: E402

SLUG = "benchmark-decp"
SIREN = with_luhn_key("21599999")
OTHER_SIREN = with_luhn_key("21629999")
CPVS = ["45210000-2", "45233140-2", "90910000-9", "71000000-8", "30000000-9", "79710000-4", "50000000-5"]
PROCEDURES = ["Procédure adaptée", "Appel d'offres ouvert", "Procédure avec négociation"]
SOCIAL = [["Pas de considération sociale"], ["Clause sociale"], ["Clause sociale", "Critère social"]]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def company_sirets(count: int, rng: random.Random) -> list[str]:
    return [with_luhn_key(with_luhn_key(f"{rng.randrange(10**7, 10**8)}") + "0001") for _ in range(count)]


def contract(index: int, rng: random.Random, companies: list[str]) -> dict:
    buyer = OTHER_SIREN if index % 10 == 9 else SIREN
    day = f"2025-{1 + index % 12:02d}-{1 + index % 28:02d}"
    holders = rng.sample(companies, 3 if index % 5 == 0 else 1)
    amount = 40000 + (index * 137) % 900000
    modifications = []
    if index % 10 in (1, 4, 7):
        modifications.append(
            modification_record(
                notified_on="2025-12-15",
                published_on="2025-12-20",
                amount=amount + 5000,
                holders=[rng.choice(companies)] if index % 10 == 7 else None,
            )
        )
    return market_record(
        f"2025-{index:07d}",
        buyer=with_luhn_key(buyer + f"{index % 7:04d}"),
        title=f"Marché n° {index} : travaux, fournitures ou services de l'année",
        cpv=CPVS[index % len(CPVS)],
        offers=1 + index % 7,
        procedure=PROCEDURES[index % len(PROCEDURES)],
        place_code=f"{59000 + index % 900}",
        duration=6 + index % 42,
        notified_on=day,
        amount=amount,
        holders=holders,
        social=SOCIAL[index % len(SOCIAL)],
        subcontractors=[(rng.choice(companies), 12000)] if index % 10 == 3 else [],
        subcontract_months=6,
        modifications=modifications,
    )


def write_file(path: Path, count: int, rng: random.Random) -> None:
    companies = company_sirets(max(50, count // 4), rng)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"marches": {"marche": [\n')
        for index in range(count):
            if index:
                out.write(",\n")
            out.write(json.dumps(contract(index, rng, companies), ensure_ascii=False))
        out.write("\n]}}\n")


def clean() -> None:
    organisation = Organisation.objects.filter(slug=SLUG).first()
    if organisation is None:
        return
    MarketHistoryEntry.objects.filter(market__organisation=organisation)._raw_delete(using="default")
    MarketHolder.objects.filter(market__organisation=organisation)._raw_delete(using="default")
    MarketAward.objects.filter(organisation=organisation)._raw_delete(using="default")
    Market.objects.filter(organisation=organisation)._raw_delete(using="default")
    DecpImport.objects.filter(organisation=organisation).delete()
    organisation.delete()


def run_import(path: Path, organisation: Organisation) -> DecpImport:
    with path.open("rb") as stream:
        return import_decp(organisation=organisation, stream=stream, filename=path.name)


# Tables in the order their foreign keys need them, with the organisation's rows of each.
def _tables(organisation: Organisation):
    return [
        (Market, Market.objects.filter(organisation=organisation)),
        (MarketAward, MarketAward.objects.filter(organisation=organisation)),
        (MarketHolder, MarketHolder.objects.filter(market__organisation=organisation)),
        (MarketHistoryEntry, MarketHistoryEntry.objects.filter(market__organisation=organisation)),
    ]


def copy_same_rows(organisation: Organisation) -> float:
    """The rows the import wrote, taken out, then timed as they are COPYed back into their tables."""
    dumps = []
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        for model, rows in _tables(organisation):
            columns = [field.column for field in model._meta.concrete_fields]
            select, params = rows.values_list(
                *[field.attname for field in model._meta.concrete_fields]
            ).query.sql_with_params()
            dump = io.BytesIO()
            with cursor.copy(f"COPY ({cursor.mogrify(select, params)}) TO STDOUT") as copy:
                for chunk in copy:
                    dump.write(chunk)
            dumps.append((model._meta.db_table, columns, dump.getvalue()))
    # Awards point at their import: keep the import, remove the rows children first.
    for _, rows in reversed(_tables(organisation)):
        rows._raw_delete(using="default")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, data in dumps:
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # noqa: S608
                copy.write(data)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=100_000, help="contracts to generate (default 100,000)")
    arguments = parser.parse_args()
    harness.migrated_postgresql()
    clean()
    organisation = Organisation.objects.create(slug=SLUG, name="Banc d'essai des DECP", siren=SIREN)
    rng = random.Random(2025)
    try:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "decp-2025.json"
            print(f"Banc d'essai : {arguments.contracts:,} contrats au format DECP 2.0".replace(",", " "))
            harness.timed("génération du fichier JSON", lambda: write_file(path, arguments.contracts, rng))
            print(f"  taille du fichier : {path.stat().st_size / 1e6:.1f} Mo")
            before = peak_mb()
            first, imported = harness.timed("import_decp (premier import)", lambda: run_import(path, organisation))
            import_peak = peak_mb()
            print(f"    {summary(first)}")
            second, reimported = harness.timed(
                "import_decp (même fichier, rien ne change)", lambda: run_import(path, organisation)
            )
            print(f"    {summary(second)}")
            _, parsed = harness.timed("plancher : json.load du même fichier", lambda: json.loads(path.read_bytes()))
            copied = copy_same_rows(organisation)
            harness.print_time("plancher : COPY des mêmes lignes (marchés, DECP, titulaires, historique)", copied)
            floor = parsed + copied
            print(f"  plancher total : {floor:.2f} s")
            print(f"Rapport import / plancher : {imported / floor:.2f} × (objectif ≤ 3 ×)")
            print(f"Rapport réimport / plancher : {reimported / floor:.2f} ×")
            print(
                f"Pic mémoire du processus pendant l'import : {import_peak:.0f} Mo "
                f"(avant l'import : {before:.0f} Mo ; "
                "objectif < 500 Mo)"
            )
    finally:
        clean()


if __name__ == "__main__":
    main()
