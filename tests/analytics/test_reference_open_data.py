"""The open data files (docs/donnees-ouvertes.md) against tests/analytics/reference.py, the independent computation
written from docs/indicateurs.md and docs/formats.md only.

Two buyers publish: a seed of tests/analytics/reference_data.py (year 2025, every figure exact) and its
SmallDataset (years 2024 and 2025), whose figures fall under statistical secrecy in every section. Each year is
computed, frozen and published at the default threshold (3); then each row of `<slug>/<year>.csv` is compared with
the reference's figure for that calendar year: the columns the schema lists, the exact value, numerator and
denominator, the displayed text, and secrecy as documented: the figures the rule hides, and only those, read
« secret statistique » with no value and no numerator, and no hidden figure can be read elsewhere in the file (as a
denominator, or as a difference of published hours). The catalogue describes each published year.
"""

import csv
import datetime
import io
import json

import pytest
from django.core.management import call_command

from analytics import services as analytics_services
from analytics.open_data import services as open_data
from procurement.enums import Role
from tests.analytics import reference as ref
from tests.analytics.reference_data import FRENCH_ANNEX, FRENCH_HOURS, FRENCH_MARKETS, Dataset, SmallDataset
from tests.analytics.reference_data import write_file as write
from tests.analytics.test_reference_display import DOCUMENTED
from tests.analytics.test_reference_indicators import imported_organisation
from tests.procurement.factories import OrganisationFactory, member

D = datetime.date
THRESHOLD = 3  # « activé par défaut, N = 3 »
SECTION_TITLES = {
    "annex": "Annexe égalité",
    "clauses": "Clauses d'insertion",
    "specifications": "Cahiers des charges",
    "titulaires": "Titulaires",
}
FORMATS = {"part": "part", "comptage": "entier", "heures": "decimal", "moyenne": "decimal", "médiane": "decimal"}
SECRET_NOTE = f"Secret statistique : calculé sur moins de {THRESHOLD} structures ou personnes, non diffusé."
NO_DATA_NOTE = "Aucune donnée : dénominateur nul."
ATTRIBUTES = {"valeur": "value", "numerateur": "numerator", "denominateur": "denominator"}


def import_small(data: SmallDataset, organisation, tmp_path) -> None:
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    slug = organisation.slug
    files = [
        ("import_markets", data.market_lines(), FRENCH_MARKETS, "marches"),
        ("import_annexes", data.annex_lines, FRENCH_ANNEX, "annexes"),
        ("import_clause_hours", data.hours_lines, FRENCH_HOURS, "heures"),
    ]
    for command, lines, columns, name in files:
        path = write(lines, list(columns), columns, tmp_path / name, data.style)
        call_command(command, path, "--organisation", slug, **quiet)
    decp = tmp_path / "decp.json"
    decp.write_text(json.dumps({"marches": {"marche": data.decp}}, ensure_ascii=False), encoding="utf-8")
    call_command("import_decp", str(decp), "--organisation", slug, **quiet)


def publish_year(organisation, year: int, capture):
    """The year computed for the organisation alone, frozen and published by one of its administrators: (the
    snapshot, the administrator)."""
    admin = member(organisation=organisation, role=Role.ADMIN)
    with capture(execute=True):
        job = analytics_services.request_computation(
            organisation=organisation, start=D(year, 1, 1), end=D(year, 12, 31), requested_by=admin
        )
    job.refresh_from_db()
    snapshot = analytics_services.freeze_snapshot(snapshot=job.snapshot, frozen_by=admin)
    open_data.publish(snapshot=snapshot, published_by=admin)
    return snapshot, admin


def cell_of(number) -> float | None:
    return None if number is None else float(number)


def read(cell: str) -> float | None:
    return None if cell == "" else float(cell)


def row_differences(row: dict, key: str, figure: ref.Figure, *, secret: bool, hidden_denominator: bool) -> list:
    nature = DOCUMENTED[key][1]
    found = []
    wanted = {
        "indicateur": " ".join(DOCUMENTED[key][0].split()),
        "format_valeur": "points" if key in ref.PERCENT_POINTS else FORMATS[nature],
        "secret_statistique": "oui" if secret else "non",
        "valeur_affichee": ref.SECRET if secret else ref.shown(key, nature, figure),
        "note": SECRET_NOTE if secret else (NO_DATA_NOTE if figure.value is None else ""),
    }
    got = {name: " ".join(row[name].split()) if name == "indicateur" else row[name] for name in wanted}
    found += [
        f"{key} {name}: reference {wanted[name]!r}, file {got[name]!r}" for name in wanted if wanted[name] != got[name]
    ]
    numbers = {
        "valeur": None if secret else cell_of(figure.value),
        "numerateur": None if secret else cell_of(figure.numerator),
        "denominateur": None if hidden_denominator else cell_of(figure.denominator),
    }
    for name, number in numbers.items():
        if read(row[name]) != number:
            found.append(f"{key} {name}: reference {number!r}, file {row[name]!r}")
        elif isinstance(getattr(figure, ATTRIBUTES[name]), int) and row[name] and not row[name].isdigit():
            found.append(f"{key} {name}: an integer written {row[name]!r}")
    return found


def derivable(rows: dict[str, dict], expected: dict, hidden: set[str]) -> list[str]:
    """Hidden figures that the published cells give away: a hidden total (of staff or hours) or pooled headcount
    written in another cell of its section, or the hours of fewer than N people as the published total minus the
    published hours of the other sexes."""
    found = []
    sections = {key: section for section, figures in expected.items() for key in figures}
    secrets = {}
    for key in hidden:
        figure = expected[sections[key]][key]
        if key in ("staff_total", "hours_total"):
            secrets[key] = figure.value
        if key in ref.secret_denominators(hidden):
            secrets[f"denominator of {key}"] = figure.denominator
    for name, number in secrets.items():
        section = sections[name.rsplit(" ", 1)[-1]]
        for key, row in rows.items():
            if sections[key] != section:
                continue
            for column in ("valeur", "numerateur", "denominateur"):
                if row[column] and number and float(row[column]) == float(number):
                    found.append(f"{name} ({number}) readable as the {column} of {key}")
    clauses = expected["clauses"]
    if "hours_total" not in hidden:
        masked = [c for c in ref.CATEGORIES if f"hours_{c}_share" in hidden]
        people = sum(clauses[f"participants_{c}_share"].numerator for c in masked)
        if masked and people < THRESHOLD:
            found.append(f"hours of {masked}: {people} people, total minus the others' hours")
    return found


def file_differences(client, organisation, year: int, expected: dict) -> tuple[list[str], set[str], list[str]]:
    response = client.get(f"/donnees-ouvertes/{organisation.slug}/{year}.csv")
    assert response.status_code == 200
    content = response.content.decode("utf-8")
    assert not content.startswith("\ufeff") and "\r\n" in content
    rows = list(csv.DictReader(io.StringIO(content)))
    keys = [key for key in DOCUMENTED if any(key in figures for figures in expected.values())]
    found = []
    if [row["cle"] for row in rows] != keys:
        found.append(f"{year}: keys or order {[row['cle'] for row in rows]}")
    hidden = ref.secret_figures(expected, THRESHOLD)
    without = ref.secret_denominators(hidden)
    by_key = {row["cle"]: row for row in rows}
    for section, figures in expected.items():
        for key, figure in figures.items():
            row = by_key.get(key)
            if row is None:
                continue
            same = {
                "annee": str(year),
                "debut_periode": f"{year}-01-01",
                "fin_periode": f"{year}-12-31",
                "organisation": organisation.name,
                "organisation_identifiant": organisation.slug,
                "organisation_siren": organisation.siren,
                "theme_cle": section,
                "theme": SECTION_TITLES[section],
            }
            found += [f"{year} {key} {name}: {row[name]!r}" for name, value in same.items() if row[name] != value]
            found += [
                f"{year} {line}"
                for line in row_differences(row, key, figure, secret=key in hidden, hidden_denominator=key in without)
            ]
    found += [f"{year} derivable: {line}" for line in derivable(by_key, expected, hidden)]
    return found, hidden, list(rows[0])


def catalogue_differences(client, organisation, years: list[int], header: list[str]) -> list[str]:
    catalogue = client.get(f"/donnees-ouvertes/{organisation.slug}/catalogue.json").json()
    schema = client.get("/donnees-ouvertes/schema.json").json()
    found = []
    if [field["name"] for field in schema["fields"]] != header:
        found.append(f"schema fields {[field['name'] for field in schema['fields']]}, file header {header}")
    if schema["primaryKey"] != ["annee", "organisation_identifiant", "cle"]:
        found.append(f"primary key {schema['primaryKey']}")
    keys = next(field for field in schema["fields"] if field["name"] == "cle")["constraints"]["enum"]
    if keys != list(DOCUMENTED):
        found.append(f"schema keys {sorted(set(keys) ^ set(DOCUMENTED))}")
    publisher = catalogue["publisher"]
    if (publisher.get("identifier"), publisher.get("siren")) != (organisation.slug, organisation.siren):
        found.append(f"publisher {publisher}")
    datasets = {dataset["year"]: dataset for dataset in catalogue["datasets"]}
    if sorted(datasets) != years:
        found.append(f"catalogue years {sorted(datasets)}")
    for year, dataset in datasets.items():
        distribution = dataset["distributions"][0]
        described = {
            "identifier": f"{organisation.slug}-{year}",
            "temporal": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
            "secrecy_threshold": THRESHOLD,
        }
        found += [f"catalogue {year} {k}: {dataset[k]!r}" for k, v in described.items() if dataset[k] != v]
        if not distribution["download_url"].endswith(f"/donnees-ouvertes/{organisation.slug}/{year}.csv"):
            found.append(f"catalogue {year} download_url {distribution['download_url']}")
        if not distribution["schema"]["url"].endswith("/donnees-ouvertes/schema.json"):
            found.append(f"catalogue {year} schema {distribution['schema']}")
    return found


@pytest.mark.parametrize("dataset", ["seed", "small"])
def test_the_open_data_files_publish_the_documented_figures_under_the_documented_secrecy(
    dataset, client, tmp_path, django_capture_on_commit_callbacks
):
    if dataset == "seed":
        data = Dataset(37, "csv-technical")
        organisation = imported_organisation(data, 60, tmp_path)
        years, expected_of = [2025], lambda year: data.reference(D(year, 1, 1), D(year, 12, 31), 60)
    else:
        data = SmallDataset()
        organisation = OrganisationFactory(name="Communauté « Petite »", slug="petite", siren=data.buyer_siren)
        import_small(data, organisation, tmp_path)
        years, expected_of = list(data.years), data.reference
    published = {year: publish_year(organisation, year, django_capture_on_commit_callbacks) for year in years}

    found, hidden_by_year, header = [], {}, None
    for year in years:
        lines, hidden_by_year[year], header = file_differences(client, organisation, year, expected_of(year))
        found += lines
    found += catalogue_differences(client, organisation, years, header)
    assert not found, "\n".join(found)

    if dataset == "small":
        # The dataset reaches each rule of « Secret statistique » (and the secrecy of a denominator).
        assert {
            "staff_total",
            "staff_all_F_share",
            "hours_total",
            "hours_F_share",
            "titulaires_staff_all_F_share",
        } <= (hidden_by_year[2024])
        assert {"role_president_F_share", "board_women_mean", "index_given_share", "hours_NB_share"} <= (
            hidden_by_year[2025]
        )
        assert {"hours_H_share", "titulaires_answered_share", "awarded_amount_answered_share"} <= hidden_by_year[2025]
        assert not {"hours_F_share", "hours_total", "staff_total", "participants_NB_share"} & hidden_by_year[2025]
        # The sentences for the report (the same rule) do not give the pooled headcounts of the two structures of
        # 2024 either: 60 cadres, 110 non cadres.
        snapshot, admin = published[2024]
        client.force_login(admin)
        phrases = client.get(f"/statistiques/resultats/{snapshot.pk}/telecharger/phrases/").content.decode("utf-8-sig")
        assert "Parmi les cadres de ces structures, la répartition par sexe" in phrases
        assert "60 cadres" not in phrases and "110 non cadres" not in phrases
    else:
        assert {"staff_all_F_share", "hours_total"}.isdisjoint(hidden_by_year[2025])
