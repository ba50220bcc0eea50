"""The Synthèse and Méthodologie sheets as an OpenDocument spreadsheet (pandas with odfpy), for LibreOffice users.

Same rows and columns as the workbook's first two sheets; no charts (pandas' ODS writer has none).
"""

import io

import pandas as pd

from analytics import secrecy
from analytics.exports.summary import COLUMNS, methodology_rows, summary_rows
from analytics.exports.workbook import METHODOLOGY_SHEET, SUMMARY_SHEET
from analytics.indicators.base import IndicatorSet
from analytics.indicators.labels import CONVENTIONS
from procurement import spreadsheets


def build_ods(indicator_set: IndicatorSet, *, secrecy_threshold: int | None = secrecy.DEFAULT_THRESHOLD) -> bytes:
    rows = summary_rows(indicator_set, secrecy_threshold=secrecy_threshold)
    summary = pd.DataFrame(
        [{column.header: getattr(row, column.attribute) for column in COLUMNS} for row in rows],
        columns=[column.header for column in COLUMNS],
        dtype=object,
    )
    methodology = pd.DataFrame(
        [("", "Règle commune", spreadsheets.neutralise(rule)) for rule in CONVENTIONS] + methodology_rows(),
        columns=["Clé", "Indicateur", "Définition"],
    )
    output = io.BytesIO()
    with pd.ExcelWriter(output, engine="odf") as writer:
        summary.to_excel(writer, sheet_name=SUMMARY_SHEET, index=False)
        methodology.to_excel(writer, sheet_name=METHODOLOGY_SHEET, index=False)
    return output.getvalue()
