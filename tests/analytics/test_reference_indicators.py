"""The indicators of the `indicators` command, after the real imports, against tests/analytics/reference.py: an
independent computation written from docs/indicateurs.md and docs/formats.md only.

Each seed (tests/analytics/reference_data.py) writes a random dataset aimed at the edges (a structure answering
several times, one SIREN under two SIRETs, names differing by case, accents and punctuation, answers at 23:30 and
00:30 Paris time around the bounds, exactly 49 or 50 employees, index scores 74/75/84/85 and « non calculable »,
blank and « sans objet » roles, clauses overlapping a period by one day, DECP modifications published after the
period, invalid or foreign titulaire ids, subcontractors, amounts of three decimals, Egapro rows of a UES or without
a note…) to the import files (CSV with a French header, XLSX, CSV with the technical names), runs `import_markets`,
`import_annexes`, `import_clause_hours`, `import_decp`, `import_egapro` and `stamp_specification`, then second
annex, hours and DECP files that correct the first ones, and compares every key of `indicators --format json` for
three periods (two consecutive years and one that starts on 29 February), exactly, and the `Synthèse` sheet of
`--format xlsx` with the JSON.
"""

import datetime
import io
import json
import math
from decimal import Decimal
from fractions import Fraction

import openpyxl
import pytest
from django.core.management import call_command

from clauses.models import ClauseSettings, JobReference
from tests.analytics import reference as ref
from tests.analytics.reference_data import (
    FRENCH_ANNEX,
    FRENCH_HOURS,
    FRENCH_MARKETS,
    JOBS,
    PERIODS,
    Dataset,
    with_key,
)
from tests.procurement.factories import OrganisationFactory, validated_encart
from tests.procurement.specifications import documents

D = datetime.date


# The comparison ------------------------------------------------------------------------------------------------


def same(expected, actual) -> bool:
    """Exactly: an int stays an int, a decimal (hours, euros) is a float, and a fraction or a decimal prints as the
    float nearest to its exact value."""
    if expected is None or actual is None:
        return expected is None and actual is None
    if isinstance(expected, int):
        return isinstance(actual, int) and actual == expected
    if isinstance(expected, Decimal):
        return isinstance(actual, float) and actual == float(expected)
    return actual == float(expected)


def differences(expected: dict, printed: dict) -> list[str]:
    found = []
    for section, figures in expected.items():
        entries = {entry["key"]: entry for entry in printed[section]}
        if set(entries) != set(figures):
            found.append(f"{section}: keys {sorted(set(entries) ^ set(figures))}")
        for key, figure in figures.items():
            entry = entries.get(key)
            if entry is None:
                continue
            for part in ("numerator", "denominator", "value"):
                if not same(getattr(figure, part), entry[part]):
                    found.append(
                        f"{section}.{key}.{part}: reference {getattr(figure, part)!r}, platform {entry[part]!r}"
                    )
    return found


def synthese_differences(path, printed: dict) -> list[str]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    rows = list(workbook["Synthèse"].iter_rows(values_only=True))
    workbook.close()
    header = list(rows[0])
    column = {name: header.index(name) for name in ("Clé", "Numérateur", "Dénominateur", "Valeur")}
    cells = {row[column["Clé"]]: row for row in rows[1:] if row[column["Clé"]]}
    found = []
    for section in ("annex", "clauses", "specifications", "titulaires"):
        for entry in printed[section]:
            row = cells.get(entry["key"])
            if row is None:
                found.append(f"Synthèse: no row for {entry['key']}")
                continue
            for part, name in (("numerator", "Numérateur"), ("denominator", "Dénominateur"), ("value", "Valeur")):
                cell = row[column[name]]
                cell = None if cell in ("", "—") else cell
                wanted = entry[part]
                # The workbook writes a number with 16 significant digits (XLSX cells), one or two units of the
                # 17th apart from the JSON's float at most.
                ok = (cell is None and wanted is None) or (
                    cell is not None and wanted is not None and math.isclose(cell, wanted, rel_tol=1e-15, abs_tol=0)
                )
                if not ok:
                    found.append(f"Synthèse {entry['key']}.{part}: JSON {wanted!r}, cell {cell!r}")
    return found


def printed_indicators(slug: str, start: D, end: D) -> dict:
    out = io.StringIO()
    call_command(
        "indicators", "--start", start.isoformat(), "--end", end.isoformat(), "--organisation", slug, stdout=out
    )
    return json.loads(out.getvalue())


def import_dataset(data: Dataset, organisation, tmp_path, *, send_markets=None, send_hours=None) -> None:
    """Every file of `data`, imported by the management commands; `send_markets(organisation, path)` and
    `send_hours(organisation, lines, name)`, when given, import the markets file and the hours lines (the first
    ones, then the corrections) another way (the API)."""
    slug = organisation.slug
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}

    def hours_by_command(organisation, lines, name):
        hours = data.write(lines, list(FRENCH_HOURS), FRENCH_HOURS, tmp_path / name)
        call_command("import_clause_hours", hours, "--organisation", slug, **quiet)

    markets = data.write(data.market_lines(), list(FRENCH_MARKETS), FRENCH_MARKETS, tmp_path / "marches")
    if send_markets is None:
        call_command("import_markets", markets, "--organisation", slug, **quiet)
    else:
        send_markets(organisation, markets)
    annexes = data.write(data.annex_lines, list(FRENCH_ANNEX), FRENCH_ANNEX, tmp_path / "annexes")
    call_command("import_annexes", annexes, "--organisation", slug, **quiet)
    send_hours = send_hours or hours_by_command
    send_hours(organisation, data.hours_lines, "heures")
    decp = tmp_path / "decp.json"
    decp.write_text(json.dumps({"marches": {"marche": data.decp}}, ensure_ascii=False), encoding="utf-8")
    call_command("import_decp", str(decp), "--organisation", slug, **quiet)
    decp = tmp_path / "decp-2.json"
    decp.write_text(json.dumps({"marches": {"marche": data.decp_updates}}, ensure_ascii=False), encoding="utf-8")
    call_command("import_decp", str(decp), "--organisation", slug, **quiet)
    corrections = data.write(data.annex_corrections, list(FRENCH_ANNEX), FRENCH_ANNEX, tmp_path / "annexes-2")
    call_command("import_annexes", corrections, "--organisation", slug, **quiet)
    send_hours(organisation, data.hours_corrections, "heures-2")
    call_command("import_egapro", data.egapro_file(tmp_path / "index-egalite-fh.csv"), **quiet)
    validated_encart(organisation=organisation)
    source = tmp_path / "cctp.docx"
    source.write_bytes(documents.without_placeholder())
    # Two markets published in 2025, one of them stamped twice, and one published in 2024 (section C).
    published_2025 = [m for m in data.markets if m.published_on.year == 2025][:2]
    published_2024 = [m for m in data.markets if m.published_on.year == 2024][:1]
    for market in published_2025 + published_2025[:1] + published_2024:
        call_command(
            "stamp_specification",
            str(source),
            str(tmp_path / f"{market.reference}.docx"),
            "--market",
            market.reference,
            "--organisation",
            slug,
            "--base-url",
            "https://egalite.example.org/",
            **quiet,
        )
        data.stamped.add(market.reference)


def imported_organisation(data: Dataset, threshold: int, tmp_path, **senders):
    """The buyer of `data`, with the list of jobs and its dominance threshold, after every import (`senders`: see
    `import_dataset`)."""
    organisation = OrganisationFactory(
        name=f"Agglomération {data.seed}", slug=f"agglo-{data.seed}", siren=data.buyer_siren
    )
    if threshold != 60:  # otherwise the default, without a settings row
        ClauseSettings.objects.create(organisation=organisation, dominance_threshold=threshold)
    for label, women in JOBS.items():
        JobReference.objects.create(organisation=organisation, label=label, women_share=women)
    import_dataset(data, organisation, tmp_path, **senders)
    return organisation


# Seed, files, the organisation's dominance threshold.
SEEDS = [
    (11, "csv-french", 60),
    (23, "xlsx-french", 70),
    (37, "csv-technical", 60),
    (41, "csv-french", 70),
    (53, "xlsx-french", 60),
]


@pytest.mark.parametrize(("seed", "style", "threshold"), SEEDS)
def test_the_platform_computes_what_the_documentation_defines(seed, style, threshold, tmp_path):
    data = Dataset(seed, style)
    assert 50 <= len(data.annex) <= 150 and 100 <= len(data.hours) <= 300 and 20 <= len(data.decp) <= 60
    organisation = imported_organisation(data, threshold, tmp_path)

    found = []
    for start, end in PERIODS:
        expected = data.reference(start, end, threshold)
        printed = printed_indicators(organisation.slug, start, end)
        assert printed["period"] == {"start": start.isoformat(), "end": end.isoformat()}
        found += [f"{start}…{end} {line}" for line in differences(expected, printed)]
    assert not found, "\n".join(found)

    # The workbook of a year and of the period that starts on 29 February says what the JSON says.
    for start, end in (PERIODS[0], PERIODS[2]):
        workbook = tmp_path / f"indicateurs-{start}.xlsx"
        call_command(
            "indicators",
            "--start",
            start.isoformat(),
            "--end",
            end.isoformat(),
            "--format",
            "xlsx",
            "--output",
            str(workbook),
            "--secrecy-threshold",
            "0",
            "--organisation",
            organisation.slug,
            stdout=io.StringIO(),
        )
        assert not synthese_differences(workbook, printed_indicators(organisation.slug, start, end))


def test_the_reference_follows_the_worked_example_of_the_documentation():
    """docs/indicateurs.md, section D: four markets (130 000, 80 000, 55 000, 40 000 €), five titulaires, three of
    whom answered; only the first (both its titulaires answered) and the last are fully answered: 3 / 5 and
    170 000 / 305 000."""
    a, b, c, d, e = (with_key(with_key(f"5000000{n}") + "0001") for n in range(1, 6))
    buyer = with_key(with_key("21590999") + "0001")

    def contract(n, amount, *sirets):
        return {
            "id": f"2025-00{n}",
            "acheteur": {"id": buyer},
            "dateNotification": "2025-03-01",
            "montant": amount,
            "titulaires": [{"titulaire": {"typeIdentifiant": "SIRET", "id": s}} for s in sirets],
        }

    records = [contract(1, 130000, a, b), contract(2, 80000, b, c), contract(3, 55000, d), contract(4, 40000, e)]
    moment = datetime.datetime(2025, 5, 1, 10, tzinfo=ref.PARIS)
    staff = dict.fromkeys([(s, c) for s in ("cadres", "non_cadres") for c in ref.CATEGORIES], 1)
    responses = [ref.AnnexRow(name=s, siret=s, submitted_at=moment, staff=staff) for s in (a, b, e)]
    figures = ref.titulaire_indicators(ref.contracts_of(records, buyer[:9]), responses, D(2025, 1, 1), D(2025, 12, 31))
    assert figures["titulaires_answered_share"].value == Fraction(3, 5)
    assert figures["awarded_amount_answered_share"].value == Fraction(170000, 305000)
