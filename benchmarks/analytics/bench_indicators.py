"""Benchmark: the annex indicators (docs/indicateurs.md, A) over many responses, against a SQL floor and a loop.

Run from the project root, against PostgreSQL (set up as .ci/run does):
    DATABASE_URL=postgres://app:app@127.0.0.1:5432/app .venv/bin/python benchmarks/analytics/bench_indicators.py \
        [--rows N] [--export-rows M] [--loop-rows L]

It loads N synthetic annex responses (default 1,000,000; COPY) into a throw-away organisation: about 0.6 N
structures (some answering several times, some identified by name only), submissions from June 2024 to December
2025, 1 % withdrawn, then marks each structure's latest answer of each year as the product does when it stores
one (questionnaire.services.latest). Then it times, for the year 2025:
- the floor: ONE hand-written SQL query computing the same figures (latest response per structure with
  DISTINCT ON, every sum and count, the raw count and the median with percentile_cont); its figures are checked
  against the product's;
- a plain scan: the same query without the dedupe (every response of the year), the cost of reading the rows;
- `annex_indicators` (the product: two ORM queries over the marked rows), and the same figures deduped when
  reading (two organisations), which must be equal;
- a naive ORM loop over the responses (model instances, dedupe and sums in Python), over the first L responses
  of the year (default: all of them), extrapolated to all of them when L is smaller;
- in a separate process, the raw XLSX export of M responses (default 100,000, questionnaire.exports, read by
  the staff page's query) and the statistics workbook, printing each process's peak memory (target < 300 MB).
Prints times and ratios (targets: product ≤ 1.5 × the plain scan, ≥ 20 × faster than the loop). The organisation and
its responses are removed at the end; the rest of the database is not touched.
"""

import argparse
import datetime
import os
import random
import resource
import subprocess
import sys
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from benchmarks import harness  # noqa: E402

harness.setup_django()

from django.db import connection, models  # noqa: E402

from analytics.indicators.annex import annex_indicators, median_from_histogram  # noqa: E402
from procurement.models import Organisation  # noqa: E402
from questionnaire.enums import Commitment  # noqa: E402
from questionnaire.models import AnnexResponse  # noqa: E402
from questionnaire.services.latest import refresh_latest  # noqa: E402

SLUG = "benchmark-analytics"
PARIS = ZoneInfo("Europe/Paris")
START, END = datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)
FIRST_MOMENT = datetime.datetime(2024, 6, 1, tzinfo=PARIS)
SPAN_SECONDS = int((datetime.datetime(2026, 1, 1, tzinfo=PARIS) - FIRST_MOMENT).total_seconds())
COMMITMENTS = [commitment.value for commitment in Commitment]
OFFICERS = ["F", "H", "H", "NB", "NSP", "sans_objet", ""]
HEADCOUNTS = [f"{scope}_{category}" for scope in ("cadres", "non_cadres") for category in ("f", "h", "nb", "nsp")]
COPY_COLUMNS = [
    "organisation_id", "receipt_number", "form_version", "source", "submitted_at", "submitted_on", "submitted_year",
    "withdrawn_at", "structure_name", "siret", "siren", "structure_key", "contact_email", *HEADCOUNTS, "has_board",
    "board_women_pct", "president", "secretary", "treasurer", "volunteers_women_pct", "policy_text",
    "equality_index_status", "equality_index_score", "equality_index_scheme", "equality_index_year",
    *[f"commitment_{key}" for key in COMMITMENTS], *[f"commitment_{key}_detail" for key in COMMITMENTS], "created_at",
]  # fmt: skip
# Every other text column of the model (the register_* columns, and any added later) is COPYed blank: COPY does
# not apply Django's default "" and would write NULL into these NOT NULL columns.
BLANK_TEXT_COLUMNS = [
    field.column
    for field in AnnexResponse._meta.concrete_fields
    if isinstance(field, models.CharField | models.TextField) and not field.null and field.column not in COPY_COLUMNS
]


def grouped(number: float) -> str:
    """1 234 567: thousands separated by spaces, French style."""
    return f"{number:,}".replace(",", "\u202f")


def best_of(count: int, label: str, function):
    results = [harness.timed(f"{label} (essai {index + 1})", function) for index in range(count)]
    return results[0][0], min(elapsed for _, elapsed in results)


def clean() -> None:
    organisation = Organisation.objects.filter(slug=SLUG).first()
    if organisation is not None:
        AnnexResponse.objects.filter(organisation=organisation)._raw_delete(using="default")
        organisation.delete()
    Organisation.objects.filter(slug=f"{SLUG}-vide").delete()


def _row(index: int, organisation_id: int, pool: int, rng: random.Random) -> tuple:
    structure = rng.randrange(pool)
    by_name = structure % 20 == 0  # 5 % of structures have no SIRET
    siren = f"{300000000 + structure:09d}"
    siret = "" if by_name else f"{siren}{structure % 100000:05d}"
    moment = FIRST_MOMENT + datetime.timedelta(seconds=rng.randrange(SPAN_SECONDS), microseconds=index % 1_000_000)
    size = rng.choice((3, 8, 15, 30, 45, 49, 50, 51, 80, 150, 400))
    women = rng.random()
    heads = []
    for people in (size // 4, size - size // 4):
        f, nb, nsp = round(people * women), int(rng.random() < 0.02), int(rng.random() < 0.05)
        heads += [f, max(people - f - nb - nsp, 0), nb, nsp]
    total = sum(heads)
    has_board = rng.choice((True, True, False, None))
    eligible = total >= 50
    index_status, index_score = "", None
    if eligible and rng.random() < 0.8:
        if rng.random() < 0.9:
            index_status, index_score = "score", rng.randrange(40, 101)
        else:
            index_status = "not_computable"
    commitments = [rng.random() < share for share in (0.1, 0.15, 0.26, 0.15, 0.05, 0.06, 0.25, 0.03)]
    return (
        organisation_id,
        f"BENCH-{index:09d}",
        "2024-1",
        "online",
        moment,
        moment.astimezone(PARIS).date(),
        moment.astimezone(PARIS).year,
        moment + datetime.timedelta(days=2) if rng.random() < 0.01 else None,
        f"Entreprise {structure}",
        siret,
        "" if by_name else siren,
        f"nom:entreprise {structure}" if by_name else f"siren:{siren}",
        "",
        *heads,
        has_board,
        Decimal(rng.randrange(0, 10001)) / 100 if has_board and rng.random() < 0.8 else None,
        rng.choice(OFFICERS),
        rng.choice(OFFICERS),
        rng.choice(OFFICERS),
        Decimal(rng.randrange(0, 10001)) / 100 if rng.random() < 0.3 else None,
        rng.choice(("", "", "Charte égalité signée en 2023.", "  ")),
        index_status,
        index_score,
        "index_egapro",
        2024 if index_status else None,
        *commitments,
        *[""] * len(COMMITMENTS),
        moment,
    )


def synthetic_rows(organisation_id: int, rows: int):
    """The values of COPY_COLUMNS then BLANK_TEXT_COLUMNS, row by row."""
    rng = random.Random(2025)
    pool = max(1, int(rows * 0.6))
    blanks = ("",) * len(BLANK_TEXT_COLUMNS)
    for index in range(rows):
        yield _row(index, organisation_id, pool, rng) + blanks


def load(organisation: Organisation, rows: int) -> None:
    with connection.cursor() as cursor:
        statement = f"COPY questionnaire_annexresponse ({', '.join(COPY_COLUMNS + BLANK_TEXT_COLUMNS)}) FROM STDIN"
        with cursor.cursor.copy(statement) as copy:
            for row in synthetic_rows(organisation.pk, rows):
                copy.write_row(row)
        cursor.execute("ANALYZE questionnaire_annexresponse")


FLOOR_SQL = """
WITH counted AS (
    SELECT DISTINCT ON (structure_key)
        cadres_f, cadres_h, cadres_nb, cadres_nsp, non_cadres_f, non_cadres_h, non_cadres_nb, non_cadres_nsp,
        staff_total, has_board, board_women_pct, president, secretary, treasurer, volunteers_women_pct,
        btrim(policy_text, E' \\n\\r\\t\\u00a0\\u202f') <> '' AS has_policy,
        equality_index_status, equality_index_score,
        commitment_agreements, commitment_action_plan, commitment_training, commitment_harassment_unit,
        commitment_label, commitment_partnerships, commitment_events, commitment_other
    FROM questionnaire_annexresponse
    WHERE organisation_id = %(organisation)s AND submitted_on BETWEEN %(start)s AND %(end)s
      AND withdrawn_at IS NULL
    ORDER BY structure_key, submitted_at DESC, id DESC
)
SELECT
    (SELECT count(*) FROM questionnaire_annexresponse
     WHERE organisation_id = %(organisation)s AND submitted_on BETWEEN %(start)s AND %(end)s
       AND withdrawn_at IS NULL) AS responses,
    count(*) AS respondents,
    sum(cadres_f + non_cadres_f) AS all_f, sum(cadres_h + non_cadres_h) AS all_h,
    sum(cadres_nb + non_cadres_nb) AS all_nb, sum(cadres_nsp + non_cadres_nsp) AS all_nsp,
    sum(cadres_f) AS cadres_f, sum(cadres_h) AS cadres_h, sum(cadres_nb) AS cadres_nb, sum(cadres_nsp) AS cadres_nsp,
    sum(non_cadres_f) AS non_cadres_f, sum(non_cadres_h) AS non_cadres_h, sum(non_cadres_nb) AS non_cadres_nb,
    sum(non_cadres_nsp) AS non_cadres_nsp,
    count(*) FILTER (WHERE has_board IS NOT NULL) AS board_answered,
    count(*) FILTER (WHERE has_board) AS board_has,
    count(board_women_pct) FILTER (WHERE has_board) AS board_women_given,
    sum(board_women_pct) FILTER (WHERE has_board) AS board_women_sum,
    count(*) FILTER (WHERE president IN ('F', 'H', 'NB', 'NSP')) AS president_answered,
    count(*) FILTER (WHERE president = 'F') AS president_f, count(*) FILTER (WHERE president = 'H') AS president_h,
    count(*) FILTER (WHERE president = 'NB') AS president_nb,
    count(*) FILTER (WHERE president = 'NSP') AS president_nsp,
    count(*) FILTER (WHERE secretary IN ('F', 'H', 'NB', 'NSP')) AS secretary_answered,
    count(*) FILTER (WHERE secretary = 'F') AS secretary_f, count(*) FILTER (WHERE secretary = 'H') AS secretary_h,
    count(*) FILTER (WHERE secretary = 'NB') AS secretary_nb,
    count(*) FILTER (WHERE secretary = 'NSP') AS secretary_nsp,
    count(*) FILTER (WHERE treasurer IN ('F', 'H', 'NB', 'NSP')) AS treasurer_answered,
    count(*) FILTER (WHERE treasurer = 'F') AS treasurer_f, count(*) FILTER (WHERE treasurer = 'H') AS treasurer_h,
    count(*) FILTER (WHERE treasurer = 'NB') AS treasurer_nb,
    count(*) FILTER (WHERE treasurer = 'NSP') AS treasurer_nsp,
    count(volunteers_women_pct) AS volunteers_given, sum(volunteers_women_pct) AS volunteers_sum,
    count(*) FILTER (WHERE staff_total >= 50) AS eligible,
    count(*) FILTER (WHERE staff_total >= 50 AND equality_index_status = 'score') AS index_scores,
    sum(equality_index_score) FILTER (WHERE staff_total >= 50 AND equality_index_status = 'score') AS index_sum,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY equality_index_score)
        FILTER (WHERE staff_total >= 50 AND equality_index_status = 'score') AS index_median,
    count(*) FILTER (WHERE staff_total >= 50 AND equality_index_status IN ('score', 'not_computable'))
        AS index_answered,
    count(*) FILTER (WHERE staff_total >= 50 AND equality_index_score < 75) AS band_below_75,
    count(*) FILTER (WHERE staff_total >= 50 AND equality_index_score BETWEEN 75 AND 84) AS band_75_to_84,
    count(*) FILTER (WHERE staff_total >= 50 AND equality_index_score >= 85) AS band_85_and_above,
    count(*) FILTER (WHERE staff_total >= 50 AND equality_index_status = 'not_computable') AS band_not_computable,
    count(*) FILTER (WHERE commitment_agreements) AS c_agreements,
    count(*) FILTER (WHERE commitment_action_plan) AS c_action_plan,
    count(*) FILTER (WHERE commitment_training) AS c_training,
    count(*) FILTER (WHERE commitment_harassment_unit) AS c_harassment_unit,
    count(*) FILTER (WHERE commitment_label) AS c_label,
    count(*) FILTER (WHERE commitment_partnerships) AS c_partnerships,
    count(*) FILTER (WHERE commitment_events) AS c_events,
    count(*) FILTER (WHERE commitment_other) AS c_other,
    count(*) FILTER (WHERE NOT (commitment_agreements OR commitment_action_plan OR commitment_training
        OR commitment_harassment_unit OR commitment_label OR commitment_partnerships OR commitment_events
        OR commitment_other)) AS c_none,
    count(*) FILTER (WHERE has_policy) AS policy_text
FROM counted
"""


# The same figures over every response of the year, without keeping each structure's latest: what reading the
# rows costs, the bound of any dedupe.
PLAIN_SCAN_SQL = FLOOR_SQL.replace("SELECT DISTINCT ON (structure_key)", "SELECT").replace(
    "    ORDER BY structure_key, submitted_at DESC, id DESC\n", ""
)


def floor(organisation: Organisation, sql: str = FLOOR_SQL) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql, {"organisation": organisation.pk, "start": START, "end": END})
        names = [column.name for column in cursor.description]
        return dict(zip(names, cursor.fetchone(), strict=True))


def naive_loop(organisation: Organisation, limit: int | None) -> dict:
    """What a first version would do: load every response, keep each structure's latest, add up in Python."""
    responses = AnnexResponse.objects.filter(
        organisation=organisation, submitted_on__gte=START, submitted_on__lte=END, withdrawn_at__isnull=True
    ).order_by()
    if limit:
        responses = responses[:limit]
    latest: dict[str, tuple] = {}
    count = 0
    for response in responses.iterator(chunk_size=2000):
        count += 1
        current = latest.get(response.structure_key)
        if current is None or (response.submitted_at, response.pk) > current[0]:
            latest[response.structure_key] = (
                (response.submitted_at, response.pk),
                [getattr(response, name) for name in HEADCOUNTS],
                response.staff_total,
                response.has_board,
                response.board_women_pct,
                (response.president, response.secretary, response.treasurer),
                response.volunteers_women_pct,
                bool(response.policy_text.strip()),
                response.equality_index_status,
                response.equality_index_score,
                [getattr(response, f"commitment_{key}") for key in COMMITMENTS],
            )
    figures = {"responses": count, "respondents": len(latest), "staff": [0] * 8, "scores": []}
    for _, heads, staff_total, *_rest, status, score, commitments in latest.values():
        figures["staff"] = [a + b for a, b in zip(figures["staff"], heads, strict=True)]
        if staff_total >= 50 and status == "score":
            figures["scores"].append(score)
        figures.setdefault("none", 0)
        figures["none"] += not any(commitments)
    figures["scores"].sort()
    return figures


def check(product, sql: dict) -> None:
    """The floor computes the same figures as the product (else the comparison means nothing)."""
    by_key = {indicator.key: indicator for indicator in product}
    pairs = {
        "respondents": (by_key["respondents"].value, sql["respondents"]),
        "responses": (by_key["responses"].value, sql["responses"]),
        "staff_total": (
            by_key["staff_total"].value,
            sql["all_f"] + sql["all_h"] + sql["all_nb"] + sql["all_nsp"],
        ),
        "staff_all_F": (by_key["staff_all_F_share"].numerator, sql["all_f"]),
        "staff_cadres_NSP": (by_key["staff_cadres_NSP_share"].numerator, sql["cadres_nsp"]),
        "board_has": (by_key["board_has_share"].numerator, sql["board_has"]),
        "board_women_mean": (
            by_key["board_women_mean"].value,
            Fraction(sql["board_women_sum"]) / sql["board_women_given"] if sql["board_women_given"] else None,
        ),
        "role_treasurer_NB": (by_key["role_treasurer_NB_share"].numerator, sql["treasurer_nb"]),
        "index_given": (by_key["index_given_share"].numerator, sql["index_scores"]),
        "index_mean": (
            by_key["index_mean"].value,
            Fraction(sql["index_sum"], sql["index_scores"]) if sql["index_scores"] else None,
        ),
        "index_median": (
            by_key["index_median"].value,
            Fraction(str(sql["index_median"])) if sql["index_median"] is not None else None,
        ),
        "index_band_85": (by_key["index_band_85_and_above_share"].numerator, sql["band_85_and_above"]),
        "commitment_none": (by_key["commitment_none_share"].numerator, sql["c_none"]),
        "policy_text": (by_key["policy_text_share"].numerator, sql["policy_text"]),
    }
    wrong = {name: values for name, values in pairs.items() if values[0] != values[1]}
    if wrong:
        raise SystemExit(f"Le plancher et le produit divergent : {wrong}")
    print(
        f"    mêmes chiffres ({len(pairs)} vérifiés) : {grouped(by_key['respondents'].value)} structures, "
        f"{grouped(by_key['responses'].value)} réponses, {float(by_key['staff_all_F_share'].value):.2%} de femmes, "
        f"index médian {by_key['index_median'].value}"
    )


def peak_megabytes() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: Linux keeps it across exec, so a child started
    from a big parent would report the parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def export_child(rows: int) -> None:
    """Run in a fresh process: the raw export of `rows` responses, then the statistics workbook; prints peak RSS."""
    from analytics.exports.workbook import build_workbook
    from analytics.indicators import compute_indicators
    from questionnaire.exports import responses_xlsx
    from questionnaire.selectors import ResponseFilters, exported_responses

    organisation = Organisation.objects.get(slug=SLUG)
    before = peak_megabytes()
    # The staff page's query (questionnaire.staff.views.ResponseExportView), cut at `rows`.
    responses = exported_responses(organisation=organisation, filters=ResponseFilters())
    begin = time.perf_counter()
    content = responses_xlsx(responses[:rows].iterator(chunk_size=1000))
    elapsed = time.perf_counter() - begin
    peak = peak_megabytes()
    print(
        f"  export brut XLSX de {grouped(rows)} réponses : {elapsed:.2f} s, {len(content) / 1e6:.1f} Mo, pic mémoire "
        f"du processus {peak:.0f} Mo (avant l'export : {before:.0f} Mo ; objectif < 300 Mo)"
    )
    begin = time.perf_counter()
    indicator_set = compute_indicators(organisations=organisation, start=START, end=END)
    workbook = build_workbook(indicator_set, organisation_name=organisation.name, with_clause_breakdowns=False)
    elapsed = time.perf_counter() - begin
    peak = peak_megabytes()
    print(f"  classeur des indicateurs (calcul compris) : {elapsed:.2f} s, {len(workbook) / 1e3:.0f} ko, "
          f"pic mémoire du processus {peak:.0f} Mo")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="responses to generate (default 1,000,000)")
    parser.add_argument("--export-rows", type=int, default=100_000, help="rows of the raw export (default 100,000)")
    parser.add_argument("--loop-rows", type=int, default=0, help="responses the naive loop reads (default: all)")
    parser.add_argument("--keep", action="store_true", help="keep the loaded responses (for a later --reuse)")
    parser.add_argument("--reuse", action="store_true", help="reuse the responses a --keep run left")
    parser.add_argument("--export-child", type=int, default=0, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    harness.require_postgresql()
    if arguments.export_child:
        export_child(arguments.export_child)
        return

    harness.migrated_postgresql()
    organisation = Organisation.objects.filter(slug=SLUG).first() if arguments.reuse else None
    if organisation is None:
        clean()
        organisation = Organisation.objects.create(slug=SLUG, name="Banc d'essai des indicateurs")
    try:
        if organisation.annex_responses.exists():
            total = organisation.annex_responses.count()
            print(f"Banc d'essai : {grouped(total)} réponses à l'annexe égalité (déjà chargées)")
        else:
            print(f"Banc d'essai : {grouped(arguments.rows)} réponses à l'annexe égalité")
            harness.timed("chargement (COPY) et ANALYZE", lambda: load(organisation, arguments.rows))
            harness.timed(
                "marquage des dernières réponses (toute l'organisation)",
                lambda: refresh_latest(organisation_id=organisation.pk),
            )
        in_year = AnnexResponse.objects.filter(
            organisation=organisation, submitted_on__gte=START, withdrawn_at__isnull=True
        ).count()
        print(f"    dont {grouped(in_year)} envoyées en 2025 et non retirées")

        sql, floor_time = best_of(3, "plancher : une requête SQL écrite à la main", lambda: floor(organisation))
        _, scan_time = best_of(
            3, "lecture simple : la même requête sans dédoublonnage", lambda: floor(organisation, PLAIN_SCAN_SQL)
        )
        product, product_time = best_of(
            3,
            "annex_indicators (le produit : réponses marquées)",
            lambda: annex_indicators(organisations=organisation, start=START, end=END),
        )
        check(product, sql)
        # Two organisations make the product dedupe when it reads (the second has no response): same figures.
        empty, _ = Organisation.objects.get_or_create(slug=f"{SLUG}-vide", defaults={"name": "Banc d'essai (vide)"})
        read_time_dedupe, dedupe_time = best_of(
            3,
            "annex_indicators en dédoublonnant à la lecture",
            lambda: annex_indicators(organisations=[organisation, empty], start=START, end=END),
        )
        if [indicator.value for indicator in read_time_dedupe] != [indicator.value for indicator in product]:
            raise SystemExit("Les réponses marquées et le dédoublonnage à la lecture donnent des chiffres différents.")
        print(f"    mêmes {len(product)} indicateurs que le dédoublonnage à la lecture")
        limit = arguments.loop_rows or None
        figures, loop_time = harness.timed(
            f"boucle ORM naïve sur {'les ' + str(limit) if limit else 'toutes les'} réponses de 2025",
            lambda: naive_loop(organisation, limit),
        )
        if limit and limit < in_year:
            loop_time = loop_time * in_year / figures["responses"]
            print(f"    extrapolée à {grouped(in_year)} réponses : {loop_time:.1f} s")
        else:
            scores = figures["scores"]
            median = median_from_histogram([(score, 1) for score in scores]) if scores else None
            by_key = {indicator.key: indicator for indicator in product}
            assert figures["respondents"] == by_key["respondents"].value  # noqa: S101
            assert median == by_key["index_median"].value  # noqa: S101

        print("Rapports :")
        print(f"  produit / lecture simple : {product_time / scan_time:5.2f} × (objectif ≤ 1,5)")
        print(f"  produit / plancher : {product_time / floor_time:5.2f} ×")
        print(f"  dédoublonnage à la lecture / produit : {dedupe_time / product_time:5.2f} ×")
        print(f"  boucle / produit   : {loop_time / product_time:5.1f} × (objectif ≥ 20)")

        print("Exports (processus séparé, mémoire mesurée seule) :")
        command = [sys.executable, __file__, "--export-child", str(arguments.export_rows)]
        subprocess.run(command, check=True, env=os.environ.copy())  # noqa: S603 (our own script)
    finally:
        if not arguments.keep:
            clean()


if __name__ == "__main__":
    main()
