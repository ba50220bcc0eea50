"""XLSX shaped like the yearly insertion report: participants and hours by sex, per market, by market type and
by employer kind. Reads the same computed indicators as the report page."""

import io
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from analytics import secrecy
from analytics.exports.workbook import FORMATS, print_setup
from analytics.indicators.base import Indicator, Kind
from analytics.indicators.clauses import BreakdownRow
from analytics.indicators.labels import LABELS
from clauses.enums import EmployerKind, Sex
from procurement.enums import MarketType
from procurement.spreadsheets import neutralise, pandas_engine_kwargs

SEXES = list(Sex)


@dataclass(frozen=True)
class MarketLine:
    reference: str
    title: str
    market_type: str
    indicators: dict[str, Indicator]
    secret: frozenset[str] = frozenset()  # its keys under statistical secrecy (analytics.secrecy)


SECRET = secrecy.SECRET_LABEL


def _number(value):
    """Exact values become floats only here, for the spreadsheet cell; None stays an empty cell."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return float(value)
    return float(value) if not isinstance(value, int) else value


def _figure(indicators: dict[str, Indicator], secret: frozenset[str] | set[str], key: str, part: str = "value"):
    """One figure of a market or of the buyer: "secret statistique" when its indicator is secret."""
    if key in secret:
        return SECRET
    return _number(getattr(indicators[key], part))


def build_workbook(
    *,
    organisation_name: str,
    year: int,
    indicators: list[Indicator],
    markets: list[MarketLine],
    by_market_type: list[BreakdownRow],
    by_employer_kind: list[BreakdownRow],
    secrecy_threshold: int | None = secrecy.DEFAULT_THRESHOLD,
) -> bytes:
    """Every share and every total of hours follows the one secrecy rule (analytics.secrecy), as on the page."""
    secret = secrecy.secret_keys(indicators, secrecy_threshold=secrecy_threshold)
    secret_denominators = secrecy.secret_denominators(secret)
    summary = pd.DataFrame(
        [
            {
                "Indicateur": neutralise(LABELS.get(indicator.key, indicator.key)),
                "Clé": indicator.key,
                "Numérateur": SECRET if indicator.key in secret else _number(indicator.numerator),
                "Dénominateur": SECRET if indicator.key in secret_denominators else _number(indicator.denominator),
                "Valeur": SECRET if indicator.key in secret else _number(indicator.value),
            }
            for indicator in indicators
        ],
        columns=["Indicateur", "Clé", "Numérateur", "Dénominateur", "Valeur"],
    )
    per_market = pd.DataFrame(
        [
            {
                "Marché": neutralise(line.reference),
                "Objet": neutralise(line.title),
                "Type": MarketType(line.market_type).label if line.market_type in MarketType.values else "",
                "Participant·es": line.indicators["participants"].value,
                "dont femmes": _figure(line.indicators, line.secret, "participants_F_share", "numerator"),
                "Heures réalisées": _figure(line.indicators, line.secret, "hours_total"),
                "dont heures des femmes": _figure(line.indicators, line.secret, "hours_F_share", "numerator"),
                "Heures prévues (période)": _number(line.indicators["hours_completion"].denominator),
                "Réalisé / prévu": _figure(line.indicators, line.secret, "hours_completion"),
            }
            for line in markets
        ],
        columns=[
            "Marché",
            "Objet",
            "Type",
            "Participant·es",
            "dont femmes",
            "Heures réalisées",
            "dont heures des femmes",
            "Heures prévues (période)",
            "Réalisé / prévu",
        ],
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs=pandas_engine_kwargs()) as writer:
        workbook = writer.book
        percent = workbook.add_format({"num_format": FORMATS["percent"]})
        decimal = workbook.add_format({"num_format": FORMATS["decimal"]})
        integer = workbook.add_format({"num_format": FORMATS["integer"]})
        title = workbook.add_format({"bold": True, "font_size": 13})

        summary.to_excel(writer, sheet_name="Synthèse", index=False, startrow=2)
        sheet = writer.sheets["Synthèse"]
        sheet.write_string(0, 0, neutralise(f"Clauses d'insertion {year} — {organisation_name}"), title)
        sheet.set_column(0, 0, 58)
        sheet.set_column(1, 1, 34)
        sheet.set_column(2, 3, 16, decimal)
        for row, indicator in enumerate(indicators, start=3):
            formats = {Kind.SHARE: percent, Kind.COUNT: integer}
            cell_format = formats.get(indicator.kind, decimal)
            for column, part in ((2, "numerator"), (3, "denominator")):
                number = _number(getattr(indicator, part))
                hidden = secret if part == "numerator" else secret_denominators
                if isinstance(number, int) and indicator.key not in hidden:
                    sheet.write_number(row, column, number, integer)
            value = _number(indicator.value)
            if indicator.key in secret:
                sheet.write_string(row, 4, SECRET)
            elif value is None:
                sheet.write_blank(row, 4, None, cell_format)
            else:
                sheet.write_number(row, 4, value, cell_format)
        sheet.set_column(4, 4, 18)
        print_setup(sheet, header_rows=(2, 2))

        per_market.to_excel(writer, sheet_name="Par marché", index=False)
        sheet = writer.sheets["Par marché"]
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 1, 48)
        sheet.set_column(2, 2, 14)
        sheet.set_column(3, 4, 14, integer)
        sheet.set_column(5, 7, 16, decimal)
        sheet.set_column(8, 8, 16, percent)
        print_setup(sheet, header_rows=(0, 0))

        formats = (integer, decimal)
        threshold = secrecy_threshold
        _breakdown_sheet(writer, "Par type de marché", by_market_type, dict(MarketType.choices), *formats, threshold)
        _breakdown_sheet(
            writer, "Par type d'employeur", by_employer_kind, dict(EmployerKind.choices), *formats, threshold
        )
    return buffer.getvalue()


def _breakdown_sheet(writer, name: str, rows: list[BreakdownRow], labels: dict, integer, decimal, threshold) -> None:
    groups = sorted({row.group for row in rows})
    hidden = secrecy.secret_groups(rows, secrecy_threshold=threshold)
    table = []
    for group in groups:
        line = {"": neutralise(labels.get(group, group or "Non renseigné"))}
        for sex in SEXES:
            match = next((row for row in rows if row.group == group and row.sex == sex), None)
            people = match.participants if match else 0
            secret_row = secrecy.is_secret_count(people, secrecy_threshold=threshold)
            line[f"Participant·es {sex}"] = SECRET if secret_row else people
            line[f"Heures {sex}"] = SECRET if group in hidden else (float(match.hours) if match else 0.0)
        table.append(line)
    frame = pd.DataFrame(table, columns=["", *[f"Participant·es {s}" for s in SEXES], *[f"Heures {s}" for s in SEXES]])
    frame.to_excel(writer, sheet_name=name, index=False)
    sheet = writer.sheets[name]
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 4, 16, integer)
    sheet.set_column(5, 8, 14, decimal)
    print_setup(sheet, header_rows=(0, 0))
    if groups:
        chart = writer.book.add_chart({"type": "column", "subtype": "stacked"})
        for offset in range(len(SEXES)):
            chart.add_series(
                {
                    "name": [name, 0, 5 + offset],
                    "categories": [name, 1, 0, len(groups), 0],
                    "values": [name, 1, 5 + offset, len(groups), 5 + offset],
                }
            )
        chart.set_title({"name": f"Heures d'insertion par sexe — {name.lower()}"})
        chart.set_y_axis({"num_format": FORMATS["integer"]})
        sheet.insert_chart(len(groups) + 3, 0, chart)
