"""Benchmark: importing monthly insertion hours against a bulk-load floor, and the clause indicators over them.

Run from the project root, against PostgreSQL (set up as .ci/run does):
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app .venv/bin/python benchmarks/clauses/bench_import.py [--rows N]

It generates N hour rows (default 1,000,000) as a CSV in the format of `import_clause_hours`, then times:
- floor A, the file: PostgreSQL COPY of the file into a bare table of text columns (no index, no constraint);
- floor B, the same rows: PostgreSQL COPY of the hour rows the import wrote (mission, month, hours) back into the
  hours table, with its indexes, constraints and foreign key, commit included: what writing those rows costs
  at the least, whatever reads and checks the file;
- `import_clause_hours`'s service on that file into an empty organisation (parse, check, write), then again
  (every row replaces itself: the idempotent re-import);
- the section-B indicators over the imported rows (one year, three years, and per market).
Prints the times and the ratios to both floors (target: import at most 3 × the COPY of the same rows). The
benchmark's organisation and its
data are removed at the end; the rest of the database is not touched.
"""

import argparse
import datetime
import io
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

harness.setup_django()

from django.db import connection, transaction  # noqa: E402

from analytics.indicators.clauses import clause_indicators, clause_indicators_by_market  # noqa: E402
from clauses.models import Employer, HoursRecord, InsertionClause, Mission, Participant  # noqa: E402
from clauses.services.hours_import import COLUMNS, import_clause_hours  # noqa: E402
from procurement.enums import MarketType  # noqa: E402
from procurement.models import Market, Organisation  # noqa: E402
from procurement.validators import luhn_is_valid  # noqa: E402

SLUG = "benchmark-clauses"
MONTHS_PER_MISSION = 20
FIRST_MONTH = datetime.date(2023, 1, 1)
JOBS = [
    ("Maçon·ne", "male"),
    ("Agent·e d'entretien", ""),
    ("Aide à domicile", "female"),
    ("Électricien·ne", "male"),
    ("Agent·e de restauration", "mixed"),
    ("Animateur·rice périscolaire", "female"),
    ("Ouvrier·ère des espaces verts", ""),
    ("Manœuvre", "male"),
]
CONTRACTS = ["CDDI", "CDD", "interim", "contrat_pro", "CDI", "apprentissage", "autre"]


def sirets(count: int, rng: random.Random) -> list[str]:
    found: list[str] = []
    while len(found) < count:
        candidate = f"{rng.randrange(10**13, 10**14):014d}"
        if luhn_is_valid(candidate) and not candidate.startswith("356000000"):
            found.append(candidate)
    return found


def add_months(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    return datetime.date(day.year + year, month + 1, 1)


def write_csv(path: Path, rows: int, markets: list[str], rng: random.Random) -> None:
    employers = sirets(max(10, rows // 2000), rng)
    month_texts = [f"{add_months(FIRST_MONTH, index):%Y-%m}" for index in range(36)]
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(";".join(COLUMNS) + "\n")
        written = mission = 0
        while written < rows:
            participant = mission // 2  # two missions each
            sex = "F" if participant % 6 == 0 else ("NB" if participant % 97 == 0 else "H")
            birth_year = 1960 + participant % 45
            market = markets[(mission * 7) % len(markets)]
            employer = employers[mission % len(employers)]
            job, dominance = JOBS[mission % len(JOBS)]
            contract = CONTRACTS[mission % len(CONTRACTS)]
            first = rng.randrange(0, 36 - MONTHS_PER_MISSION + 1)
            for offset in range(min(MONTHS_PER_MISSION, rows - written)):
                hours = f"{rng.randrange(100, 15100) / 100:.2f}".replace(".", ",")
                out.write(
                    f"{market};P{participant:07d};{sex};{birth_year};{employer};{job};{dominance};{contract};"
                    f"{month_texts[first + offset]};{hours}\n"
                )
            written += MONTHS_PER_MISSION
            mission += 1


def clean(organisation: Organisation | None) -> None:
    if organisation is None:
        return
    HoursRecord.objects.filter(mission__participant__organisation=organisation)._raw_delete(using="default")
    Mission.objects.filter(participant__organisation=organisation)._raw_delete(using="default")
    Participant.objects.filter(organisation=organisation).delete()
    Employer.objects.filter(organisation=organisation).delete()
    InsertionClause.objects.filter(market__organisation=organisation).delete()
    Market.objects.filter(organisation=organisation).delete()
    organisation.delete()


# This benchmark's labels are aligned on 58 columns.
LABEL_WIDTH = 58


def timed(label: str, function):
    return harness.timed(label, function, width=LABEL_WIDTH)


def copy_floor(path: Path) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS benchmark_clause_rows")
        cursor.execute(
            "CREATE TABLE benchmark_clause_rows (market_reference varchar(60), participant_ref varchar(60), "
            "sex varchar(3), birth_year smallint, employer_siret varchar(14), job_label varchar(200), "
            "job_dominance varchar(8), contract_type varchar(16), month varchar(7), hours varchar(12))"
        )
        with (
            cursor.copy("COPY benchmark_clause_rows FROM STDIN WITH (FORMAT csv, HEADER true, DELIMITER ';')") as copy,
            path.open("rb") as source,
        ):
            while chunk := source.read(1 << 20):
                copy.write(chunk)


def copy_same_rows(organisation: Organisation) -> float:
    """Floor B: the organisation's hour rows taken out, then timed as they are COPYed back into the hours table."""
    rows = HoursRecord.objects.filter(mission__participant__organisation=organisation)
    table = HoursRecord._meta.db_table
    dump = io.BytesIO()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # a million new rows: without statistics the planner picks a nested loop
        select, params = rows.values_list("pk", "mission_id", "month", "hours").query.sql_with_params()
        with cursor.copy(f"COPY ({cursor.mogrify(select, params)}) TO STDOUT") as copy:
            for chunk in copy:
                dump.write(chunk)
    rows._raw_delete(using="default")
    started = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} (id, mission_id, month, hours) FROM STDIN") as copy,  # noqa: S608
    ):
        copy.write(dump.getvalue())
    elapsed = time.perf_counter() - started
    harness.print_time("plancher B : COPY des mêmes lignes dans la table des heures", elapsed, width=LABEL_WIDTH)
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="hour rows to generate (default 1,000,000)")
    parser.add_argument("--markets", type=int, default=200)
    arguments = parser.parse_args()
    harness.migrated_postgresql()
    clean(Organisation.objects.filter(slug=SLUG).first())
    rng = random.Random(2025)
    organisation = Organisation.objects.create(slug=SLUG, name="Banc d'essai des clauses")
    references = []
    for index in range(arguments.markets):
        start = datetime.date(2023, 1, 1) + datetime.timedelta(days=rng.randrange(0, 200))
        market = Market.objects.create(
            organisation=organisation,
            reference=f"BENCH-{index:04d}",
            title="Marché du banc d'essai",
            market_type=[MarketType.TRAVAUX, MarketType.SERVICES][index % 2],
            published_on=start - datetime.timedelta(days=60),
            execution_start=start,
            execution_end=start + datetime.timedelta(days=1000),
            insertion_hours_planned=Decimal(rng.choice([2000, 5000, 12000])),
        )
        references.append(market.reference)

    try:
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "heures.csv"
            print(f"Banc d'essai : {arguments.rows:,} lignes d'heures, {arguments.markets} marchés".replace(",", " "))
            timed("génération du fichier CSV", lambda: write_csv(path, arguments.rows, references, rng))
            print(f"  taille du fichier : {path.stat().st_size / 1e6:.1f} Mo")
            content = path.read_bytes()

            _, floor = timed("plancher A : COPY du fichier dans une table nue", lambda: copy_floor(path))
            result, first = timed(
                "import_clause_hours (premier import)",
                lambda: import_clause_hours(
                    organisation=organisation, content=content, filename=path.name, max_bytes=None
                ),
            )
            print(f"    {result.summary}")
            _, again = timed(
                "import_clause_hours (réimport : chaque ligne se remplace)",
                lambda: import_clause_hours(
                    organisation=organisation, content=content, filename=path.name, max_bytes=None
                ),
            )
            stored = HoursRecord.objects.filter(mission__participant__organisation=organisation).count()
            print(f"    lignes en base après deux imports : {stored:,}".replace(",", " "))
            same_rows = copy_same_rows(organisation)

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            _, year = timed(
                "indicateurs, année 2024",
                lambda: clause_indicators(
                    organisations=organisation, start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31)
                ),
            )
            indicators, years = timed(
                "indicateurs, 2023 à 2025",
                lambda: clause_indicators(
                    organisations=organisation, start=datetime.date(2023, 1, 1), end=datetime.date(2025, 12, 31)
                ),
            )
            _, per_market = timed(
                "indicateurs par marché, 2023 à 2025",
                lambda: clause_indicators_by_market(
                    organisations=organisation, start=datetime.date(2023, 1, 1), end=datetime.date(2025, 12, 31)
                ),
            )
            figures = {indicator.key: indicator for indicator in indicators}
            print(
                f"    participants : {figures['participants'].value}, heures : {figures['hours_total'].value}, "
                f"part des femmes : {float(figures['participants_F_share'].value):.2%}"
            )
            print("Rapports au plancher B (COPY des mêmes lignes dans la table des heures) :")
            print(f"  premier import : {first / same_rows:5.2f} × (objectif ≤ 3)")
            print(f"  réimport       : {again / same_rows:5.2f} ×")
            print("Rapports au plancher A (COPY du fichier dans une table nue) :")
            print(f"  premier import : {first / floor:5.2f} ×")
            print(f"  réimport       : {again / floor:5.2f} ×")
            print(f"  indicateurs sur trois ans : {years / floor:5.2f} × ; sur un an : {year / floor:5.2f} ×")
            print(f"  indicateurs par marché : {per_market / floor:5.2f} ×")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS benchmark_clause_rows")
        clean(Organisation.objects.filter(slug=SLUG).first())


if __name__ == "__main__":
    main()
