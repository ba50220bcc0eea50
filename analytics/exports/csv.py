"""The Synthèse as CSV: `;` separator, UTF-8 with BOM, decimal comma (opens as numbers in a French spreadsheet)."""

import csv
import io

from analytics import secrecy
from analytics.exports.summary import COLUMNS, summary_rows
from analytics.indicators.base import IndicatorSet
from procurement import spreadsheets


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    return spreadsheets.neutralise(str(value))


def build_csv(indicator_set: IndicatorSet, *, secrecy_threshold: int | None = secrecy.DEFAULT_THRESHOLD) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow([column.header for column in COLUMNS])
    for row in summary_rows(indicator_set, secrecy_threshold=secrecy_threshold):
        writer.writerow([_cell(getattr(row, column.attribute)) for column in COLUMNS])
    return output.getvalue().encode("utf-8-sig")
