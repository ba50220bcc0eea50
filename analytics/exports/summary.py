"""The rows every statistics export writes (Synthèse of the workbook, CSV, ODS), described once.

Values stay exact in the IndicatorSet; they become floats only here, for a spreadsheet cell. A figure under
statistical secrecy (analytics.secrecy) keeps its denominator (unless it is secret too:
`secrecy.secret_denominators`) but loses its numerator and value, and its note
says "secret statistique". Every text cell is neutralised here (procurement.spreadsheets), once for all three
files: a text a spreadsheet would read as a formula keeps a leading quote.
"""

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from analytics import secrecy
from analytics.formatting import display
from analytics.indicators.annex import PERCENT_POINT_KEYS
from analytics.indicators.base import Indicator, IndicatorSet, Kind, Number, Section
from analytics.indicators.labels import DEFINITIONS, LABELS
from procurement.spreadsheets import neutralise

SECTION_LABELS = {
    Section.ANNEX: "Annexe égalité",
    Section.CLAUSES: "Clauses d'insertion",
    Section.SPECIFICATIONS: "Cahiers des charges",
    Section.TITULAIRES: "Titulaires",
}


@dataclass(frozen=True)
class Column:
    header: str
    attribute: str
    width: int


# The Synthèse sheet, the CSV and the ODS: same columns, same order (docs/formats.md: label, key, numerator,
# denominator, value; then the value as displayed, the theme and the note). The key, a technical name for scripts,
# is written small and grey in the workbook.
COLUMNS = [
    Column("Indicateur", "label", 56),
    Column("Clé", "key", 30),
    Column("Numérateur", "numerator", 12),
    Column("Dénominateur", "denominator", 12),
    Column("Valeur", "value", 12),
    Column("Valeur affichée", "shown", 26),
    Column("Thème", "section", 18),
    Column("Note", "note", 50),
]
# What the printed Synthèse shows (columns A to F): the label, the key and the figures; the rest stays on screen.
PRINTED_COLUMNS = 6


@dataclass(frozen=True)
class SummaryRow:
    label: str
    key: str
    numerator: int | float | None
    denominator: int | float | None
    value: int | float | None
    shown: str
    section: str
    note: str
    kind: str
    secret: bool


def cell_number(value: Number | None) -> int | float | None:
    """An exact value as a spreadsheet number: ints stay ints, Fractions and Decimals become floats."""
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Fraction) and value.denominator == 1:
        return value.numerator
    if isinstance(value, Fraction | Decimal):
        return float(value)
    raise TypeError(f"Valeur inattendue : {value!r}")


def value_format(indicator: Indicator) -> str:
    """How the value reads: "percent" (a share in [0, 1]), "points" (a mean of percentages, 0-100), "decimal",
    "integer"."""
    if indicator.kind == Kind.SHARE:
        return "percent"
    if indicator.key in PERCENT_POINT_KEYS:
        return "points"
    if indicator.kind in (Kind.HOURS, Kind.MEAN, Kind.MEDIAN):
        return "decimal"
    return "integer"


def summary_rows(indicator_set: IndicatorSet, *, secrecy_threshold: int | None) -> list[SummaryRow]:
    rows = []
    secret_keys = secrecy.secret_keys(indicator_set, secrecy_threshold=secrecy_threshold)
    secret_denominators = secrecy.secret_denominators(secret_keys)
    for indicator in indicator_set.indicators:
        secret = indicator.key in secret_keys
        note = ""
        if secret:
            note = secrecy.note(secrecy_threshold=secrecy_threshold)
        elif indicator.value is None:
            note = "Aucune donnée : dénominateur nul."
        rows.append(
            SummaryRow(
                label=neutralise(LABELS[indicator.key]),
                key=neutralise(indicator.key),
                numerator=None if secret else cell_number(indicator.numerator),
                denominator=None if indicator.key in secret_denominators else cell_number(indicator.denominator),
                value=None if secret else cell_number(indicator.value),
                shown=neutralise(secrecy.SECRET_LABEL if secret else display(indicator)),
                section=neutralise(SECTION_LABELS[indicator.section]),
                note=neutralise(note),
                kind=value_format(indicator),
                secret=secret,
            )
        )
    return rows


def methodology_rows() -> list[tuple[str, str, str]]:
    """(key, label, definition) of every indicator, in the order of the Synthèse."""
    from analytics.indicators import KEYS

    return [(neutralise(key), neutralise(LABELS[key]), neutralise(DEFINITIONS[key])) for key in KEYS]


def period_text(indicator_set: IndicatorSet) -> str:
    return f"du {indicator_set.start:%d/%m/%Y} au {indicator_set.end:%d/%m/%Y}"
