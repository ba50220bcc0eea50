"""The open data file of one published year: a CSV (UTF-8, `,`, one row per indicator) and its Table Schema.

The columns are described once, here: the CSV writes them in this order and `table_schema()` describes them in the
frictionless format of schema.data.gouv.fr (docs/donnees-ouvertes.md). Rows come from
`analytics.exports.summary.summary_rows`, the same rows as the statistics downloads, so statistical secrecy
(analytics.secrecy) is applied the same way: a secret figure has neither value nor numerator, and says
"secret statistique". Nothing in the file names a person: only the organisation and its aggregates.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from analytics.exports.summary import SECTION_LABELS, SummaryRow, summary_rows
from analytics.indicators import KEYS, SECTION_OF
from analytics.indicators.base import IndicatorSet, Section
from procurement.models import Organisation
from procurement.spreadsheets import neutralise

SCHEMA_NAME = "egalite-commande-publique-indicateurs"
SCHEMA_VERSION = "1.0.1"  # 1.0.1: `denominateur` empty when it is itself secret
SCHEMA_CREATED = "2026-12-01"
SCHEMA_MODIFIED = "2026-12-03"

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}

# How the value reads (analytics.exports.summary.value_format) → the words of the `format_valeur` column.
VALUE_FORMATS = {"percent": "part", "points": "points", "decimal": "decimal", "integer": "entier"}
TRUE, FALSE = "oui", "non"


@dataclass(frozen=True)
class Row:
    """One line of the file: an indicator of a published year."""

    year: int
    start: datetime.date
    end: datetime.date
    organisation: Organisation
    summary: SummaryRow
    section_key: str


def _number(value: int | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return str(value)
    return format(Decimal(repr(value)).normalize(), "f")


@dataclass(frozen=True)
class Column:
    name: str
    title: str
    description: str
    type: str
    cell: object  # Row -> str
    example: str
    constraints: dict = field(default_factory=dict)
    extra: dict = field(default_factory=dict)


COLUMNS = [
    Column(
        "annee",
        "Année",
        "Année civile des chiffres publiés.",
        "integer",
        lambda row: str(row.year),
        "2025",
        {"required": True, "minimum": 2000, "maximum": 2100},
    ),
    Column(
        "debut_periode",
        "Début de la période",
        "Premier jour de la période couverte (1er janvier de l'année).",
        "date",
        lambda row: row.start.isoformat(),
        "2025-01-01",
        {"required": True},
    ),
    Column(
        "fin_periode",
        "Fin de la période",
        "Dernier jour de la période couverte (31 décembre de l'année).",
        "date",
        lambda row: row.end.isoformat(),
        "2025-12-31",
        {"required": True},
    ),
    Column(
        "organisation",
        "Organisation",
        "Nom de l'acheteur public qui publie les chiffres.",
        "string",
        lambda row: neutralise(row.organisation.name),
        "Ville de Denain",
        {"required": True},
    ),
    Column(
        "organisation_identifiant",
        "Identifiant de l'organisation",
        "Identifiant court de l'acheteur sur la plateforme (celui de l'adresse de sa page de données ouvertes).",
        "string",
        lambda row: row.organisation.slug,
        "ville-de-denain",
        {"required": True, "pattern": "^[-a-zA-Z0-9_]+$"},
    ),
    Column(
        "organisation_siren",
        "SIREN de l'organisation",
        "Numéro SIREN de l'acheteur, vide s'il n'est pas renseigné.",
        "string",
        lambda row: row.organisation.siren,
        "215901786",
        {"pattern": "^[0-9]{9}$"},
    ),
    Column(
        "theme_cle",
        "Clé du thème",
        "Clé technique du thème : annex (annexe égalité), clauses (clauses d'insertion), specifications (cahiers "
        "des charges), titulaires (titulaires des marchés).",
        "string",
        lambda row: row.section_key,
        "annex",
        {"required": True, "enum": list(Section.ALL)},
    ),
    Column(
        "theme",
        "Thème",
        "Thème de l'indicateur, en français.",
        "string",
        lambda row: row.summary.section,
        "Annexe égalité",
        {"required": True, "enum": [SECTION_LABELS[section] for section in Section.ALL]},
    ),
    Column(
        "cle",
        "Clé de l'indicateur",
        "Clé technique de l'indicateur, stable d'une année à l'autre (définitions : documentation de la "
        "plateforme, « Indicateurs »).",
        "string",
        lambda row: row.summary.key,
        "staff_all_F_share",
        {"required": True, "enum": list(KEYS)},
    ),
    Column(
        "indicateur",
        "Indicateur",
        "Libellé de l'indicateur, en français.",
        "string",
        lambda row: row.summary.label,
        "Part des femmes (effectifs)",
        {"required": True},
    ),
    Column(
        "format_valeur",
        "Format de la valeur",
        "Comment lire la valeur : part (nombre de 0 à 1), points (moyenne de pourcentages, de 0 à 100), decimal "
        "(nombre décimal, heures ou moyenne), entier (nombre de structures, de personnes ou de marchés).",
        "string",
        lambda row: VALUE_FORMATS[row.summary.kind],
        "part",
        {"required": True, "enum": list(VALUE_FORMATS.values())},
    ),
    Column(
        "valeur",
        "Valeur",
        "Valeur de l'indicateur (point décimal). Vide sous le secret statistique ou quand le dénominateur est nul.",
        "number",
        lambda row: _number(row.summary.value),
        "0.3635",
    ),
    Column(
        "numerateur",
        "Numérateur",
        "Numérateur de la valeur, quand elle en a un. Vide sous le secret statistique.",
        "number",
        lambda row: _number(row.summary.numerator),
        "1234",
    ),
    Column(
        "denominateur",
        "Dénominateur",
        "Dénominateur de la valeur (structures, personnes ou effectifs sur lesquels elle est calculée), quand elle "
        "en a un. Vide quand il est lui-même couvert par le secret statistique (effectifs mis en commun, total "
        "d'heures).",
        "number",
        lambda row: _number(row.summary.denominator),
        "3395",
    ),
    Column(
        "secret_statistique",
        "Secret statistique",
        "« oui » quand la valeur n'est pas diffusée : calculée sur trop peu de structures ou de personnes.",
        "boolean",
        lambda row: TRUE if row.summary.secret else FALSE,
        FALSE,
        {"required": True},
        {"trueValues": [TRUE], "falseValues": [FALSE]},
    ),
    Column(
        "valeur_affichee",
        "Valeur affichée",
        "La valeur telle que la plateforme l'affiche, en français (« 36,35 % »), ou « secret statistique ».",
        "string",
        lambda row: row.summary.shown,
        "36,35 %",
        {"required": True},
    ),
    Column(
        "note",
        "Note",
        "Précision sur la valeur (secret statistique, absence de donnée).",
        "string",
        lambda row: row.summary.note,
        "",
    ),
]


def rows(indicator_set: IndicatorSet, *, year: int, organisation: Organisation, secrecy_threshold: int) -> list[Row]:
    return [
        Row(
            year=year,
            start=indicator_set.start,
            end=indicator_set.end,
            organisation=organisation,
            summary=summary,
            section_key=SECTION_OF[summary.key],
        )
        for summary in summary_rows(indicator_set, secrecy_threshold=secrecy_threshold)
    ]


def build_csv(indicator_set: IndicatorSet, *, year: int, organisation: Organisation, secrecy_threshold: int) -> bytes:
    """The file of one published year: UTF-8 without BOM, `,` separator, a header of the column names."""
    output = io.StringIO()
    writer = csv.writer(output, delimiter=",", lineterminator="\r\n")
    writer.writerow([column.name for column in COLUMNS])
    for row in rows(indicator_set, year=year, organisation=organisation, secrecy_threshold=secrecy_threshold):
        writer.writerow([column.cell(row) for column in COLUMNS])
    return output.getvalue().encode("utf-8")


def table_schema(*, schema_url: str, homepage: str, contributor: str) -> dict:
    """The Table Schema of the file, in the frictionless format of schema.data.gouv.fr."""
    fields = []
    for column in COLUMNS:
        described = {
            "name": column.name,
            "title": column.title,
            "description": column.description,
            "example": column.example,
            "type": column.type,
            **column.extra,
        }
        if column.constraints:
            described["constraints"] = column.constraints
        fields.append(described)
    return {
        "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
        "name": SCHEMA_NAME,
        "title": "Indicateurs d'égalité femmes-hommes de la commande publique",
        "description": (
            "Chiffres annuels d'un acheteur public sur l'égalité entre les femmes et les hommes dans sa commande "
            "publique : réponses des candidats à l'annexe égalité, clauses d'insertion, cahiers des charges et "
            "titulaires des marchés. Une ligne par indicateur et par année ; une part calculée sur trop peu de "
            "structures ou de personnes est couverte par le secret statistique (valeur vide)."
        ),
        "countryCode": "FR",
        "homepage": homepage,
        "path": schema_url,
        "created": SCHEMA_CREATED,
        "lastModified": SCHEMA_MODIFIED,
        "version": SCHEMA_VERSION,
        "contributors": [{"title": contributor, "role": "author"}],
        "licenses": [LICENCE],
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["annee", "organisation_identifiant", "cle"],
    }
