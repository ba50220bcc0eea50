"""XLSX shaped like the yearly insertion report: participants and hours by sex, per market, by market type and
by employer kind. Reads the same computed indicators as the report page."""

import io
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

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


def _number(value):
    """Exact values become floats only here, for the spreadsheet cell; None stays an empty cell."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return float(value)
    return float(value) if not isinstance(value, int) else value


def build_workbook(
    *,
    organisation_name: str,
    year: int,
    indicators: list[Indicator],
    markets: list[MarketLine],
    by_market_type: list[BreakdownRow],
    by_employer_kind: list[BreakdownRow],
) -> bytes:
    summary = pd.DataFrame(
        [
            {
                "Indicateur": neutralise(LABELS.get(indicator.key, indicator.key)),
                "Clé": indicator.key,
                "Numérateur": _number(indicator.numerator),
                "Dénominateur": _number(indicator.denominator),
                "Valeur": _number(indicator.value),
            }
            for indicator in indicators
        ]
    )
    per_market = pd.DataFrame(
        [
            {
                "Marché": neutralise(line.reference),
                "Objet": neutralise(line.title),
                "Type": MarketType(line.market_type).label if line.market_type in MarketType.values else "",
                "Participant·es": line.indicators["participants"].value,
                "dont femmes": line.indicators["participants_F_share"].numerator,
                "Heures réalisées": _number(line.indicators["hours_total"].value),
                "dont heures des femmes": _number(line.indicators["hours_F_share"].numerator),
                "Heures prévues (période)": _number(line.indicators["hours_completion"].denominator),
                "Réalisé / prévu": _number(line.indicators["hours_completion"].value),
            }
            for line in markets
        ]
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs=pandas_engine_kwargs()) as writer:
        workbook = writer.book
        percent = workbook.add_format({"num_format": "0.00 %"})
        decimal = workbook.add_format({"num_format": "# ##0.00"})
        integer = workbook.add_format({"num_format": "# ##0"})
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
            value = _number(indicator.value)
            if value is None:
                sheet.write_blank(row, 4, None, cell_format)
            else:
                sheet.write_number(row, 4, value, cell_format)
        sheet.set_column(4, 4, 14)

        per_market.to_excel(writer, sheet_name="Par marché", index=False)
        sheet = writer.sheets["Par marché"]
        sheet.set_column(0, 0, 16)
        sheet.set_column(1, 1, 48)
        sheet.set_column(2, 7, 16, decimal)
        sheet.set_column(8, 8, 14, percent)

        formats = (integer, decimal)
        _breakdown_sheet(writer, "Par type de marché", by_market_type, dict(MarketType.choices), *formats)
        _breakdown_sheet(writer, "Par type d'employeur", by_employer_kind, dict(EmployerKind.choices), *formats)
    return buffer.getvalue()


def _breakdown_sheet(writer, name: str, rows: list[BreakdownRow], labels: dict, integer, decimal) -> None:
    groups = sorted({row.group for row in rows})
    table = []
    for group in groups:
        line = {"": neutralise(labels.get(group, group or "Non renseigné"))}
        for sex in SEXES:
            match = next((row for row in rows if row.group == group and row.sex == sex), None)
            line[f"Participant·es {sex}"] = match.participants if match else 0
            line[f"Heures {sex}"] = float(match.hours) if match else 0.0
        table.append(line)
    frame = pd.DataFrame(table, columns=["", *[f"Participant·es {s}" for s in SEXES], *[f"Heures {s}" for s in SEXES]])
    frame.to_excel(writer, sheet_name=name, index=False)
    sheet = writer.sheets[name]
    sheet.set_column(0, 0, 50)
    sheet.set_column(1, 4, 16, integer)
    sheet.set_column(5, 8, 14, decimal)
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
        sheet.insert_chart(len(groups) + 3, 0, chart)
