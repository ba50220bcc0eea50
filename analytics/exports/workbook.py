"""The statistics workbook (XLSX, pandas + xlsxwriter), read from an IndicatorSet.

Sheets (docs/formats.md; the first two are a contract):
- `Synthèse`: one row per indicator (label in French, key, numerator, denominator, value with a percent or number
  format, the value as displayed, theme, note "secret statistique" where it applies);
- `Méthodologie`: the rules and the definition of every indicator (docs/indicateurs.md);
- one sheet per theme with its tables and a native Excel chart: Effectifs, Gouvernance, Index, Engagements,
  Clauses d'insertion (shaped like the yearly insertion report: participants and hours by sex, markets by type,
  and, read from the clauses records of the same organisations and period, participants and hours by employer
  kind), Titulaires (section D, its tables also under the Engagements chart). The one indicator of the cahiers des
  charges is in the Synthèse (a sheet of its own would print a page).
Number formats are Excel codes ("0.00 %", "#,##0"): a French Excel or LibreOffice shows them French style
("36,35 %", "1 234"); cells keep the exact values, the formats round what is shown.
Printing (print_setup): the Synthèse on one portrait page, the Méthodologie one page wide with row heights that fit
its wrapped text, each theme sheet on one landscape page with its chart whole, the Titulaires tables on the
Engagements page (their sheet prints no page): 8 pages in all for a year.
"""

import io
from collections.abc import Callable, Iterable

import pandas as pd

from analytics import secrecy
from analytics.exports.summary import (
    COLUMNS,
    PRINTED_COLUMNS,
    cell_number,
    methodology_rows,
    period_text,
    summary_rows,
    value_format,
)
from analytics.indicators import published_index
from analytics.indicators.annex import BANDS, CATEGORIES, COMMITMENTS, ROLES, SCOPES
from analytics.indicators.base import Indicator, IndicatorSet
from analytics.indicators.clauses import MARKET_TYPE_KEYS
from analytics.indicators.labels import BAND_LABELS, COMMITMENT_LABELS, CONVENTIONS, LABELS, SEX_LABELS
from clauses.enums import EmployerKind
from procurement import spreadsheets
from procurement.enums import GENDER_PLURAL_LABELS, Gender, MarketType

SUMMARY_SHEET = "Synthèse"
METHODOLOGY_SHEET = "Méthodologie"
TITULAIRES_SHEET = "Titulaires"
# Section D has no chart and prints on a third of a page: its tables also print under the Engagements chart (both
# are about the answers to the annex), and its own sheet prints no page, so that a year keeps to 8 pages.
TITULAIRES_PRINTED_ON = "Engagements"
FORMATS = {
    "percent": "0.00 %",
    "points": '0.00" %"',
    "decimal": "#,##0.00",
    "integer": "#,##0",
}
CATEGORY_TITLES = {gender.value: GENDER_PLURAL_LABELS[gender] for gender in Gender}
SCOPE_TITLES = {"all": "Ensemble", "cadres": "Cadres", "non_cadres": "Non cadres"}
ROLE_TITLES = {"president": "Présidence", "secretary": "Secrétariat", "treasurer": "Trésorerie"}
MARKET_TYPE_TITLES = {"works": "Travaux", "services": "Services", "supplies": "Fournitures"}
GROUP_LABELS = {"employer_kind": dict(EmployerKind.choices), "market_type": dict(MarketType.choices)}
CHART_WIDTH, CHART_HEIGHT = 620, 300  # pixels: about columns A to E and 15 rows
CHART_ROWS = 17
A4 = 9  # xlsxwriter's paper code


def print_setup(
    worksheet,
    *,
    header_rows: tuple[int, int] | None = None,
    landscape: bool = True,
    one_page: bool = False,
    area: tuple[int, int, int, int] | None = None,
) -> None:
    """How a sheet prints (docs/formats.md): A4, landscape by default, as wide as the page (`one_page`: the whole
    sheet on one page, tables and chart together), the header rows repeated on each page, page numbers."""
    worksheet.set_paper(A4)
    if landscape:
        worksheet.set_landscape()
    else:
        worksheet.set_portrait()
    worksheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    worksheet.fit_to_pages(1, 1 if one_page else 0)
    if header_rows is not None:
        worksheet.repeat_rows(*header_rows)
    if area is not None:
        worksheet.print_area(*area)
    worksheet.set_footer("&L&A&RPage &P sur &N")


def wrapped_lines(text: str, width: int) -> int:
    """How many lines `text` takes in a wrapped cell `width` characters wide (words are not cut)."""
    lines, length = 1, 0
    for word in text.split():
        if length and length + 1 + len(word) > width:
            lines, length = lines + 1, len(word)
        else:
            length += (1 if length else 0) + len(word)
    return lines


class _Sheet:
    """A theme sheet: writes indicator cells with their format, or "secret statistique", or "—"."""

    def __init__(
        self, writer: pd.ExcelWriter, name: str, formats: dict, *, title: str, secret: set[str], threshold: int | None
    ):
        self.workbook = writer.book
        self.worksheet = self.workbook.add_worksheet(name)
        writer.sheets[name] = self.worksheet
        self.name = name
        self.formats = formats
        self.secret = secret
        self.secret_denominators = secrecy.secret_denominators(secret)
        self.threshold = threshold
        self.worksheet.set_column(0, 0, 44)
        self.worksheet.set_column(1, 8, 15)
        self.worksheet.write_string(0, 0, spreadsheets.neutralise(title), formats["title"])
        self.row = 2
        self.last_column = 4

    def header(self, *titles: str) -> None:
        for column, title in enumerate(titles):
            self.worksheet.write(self.row, column, title, self.formats["header"])
        self.last_column = max(self.last_column, len(titles) - 1)
        self.row += 1

    def finish(self, *, printed: bool = True) -> None:
        """The whole sheet on one landscape page: its tables and its chart, never cut. Not `printed`: the print area
        is one empty cell under the tables, a page LibreOffice leaves out (its tables print on another sheet)."""
        area = (0, 0, self.row, self.last_column) if printed else (self.row + 1, 0, self.row + 1, 0)
        print_setup(self.worksheet, one_page=True, area=area)

    def subtitle(self, text: str) -> None:
        self.worksheet.write_string(self.row, 0, spreadsheets.neutralise(text), self.formats["subtitle"])
        self.row += 2

    def value(self, row: int, column: int, indicator: Indicator, part: str = "value") -> None:
        if indicator.key in (self.secret_denominators if part == "denominator" else self.secret):
            self.worksheet.write_string(row, column, secrecy.SECRET_LABEL, self.formats["note"])
            return
        raw = getattr(indicator, part)
        if raw is None:
            self.worksheet.write_string(row, column, "—", self.formats["note"])
            return
        kind = value_format(indicator) if part == "value" else ("integer" if isinstance(raw, int) else "decimal")
        self.worksheet.write_number(row, column, cell_number(raw), self.formats[kind])

    def line(self, label: str, cells: list[tuple[Indicator, str]]) -> int:
        self.worksheet.write_string(self.row, 0, spreadsheets.neutralise(label))
        for column, (indicator, part) in enumerate(cells, start=1):
            self.value(self.row, column, indicator, part)
        self.row += 1
        return self.row - 1

    def text(self, text: str) -> None:
        self.worksheet.write_string(self.row, 0, spreadsheets.neutralise(text), self.formats["note"])
        self.row += 1

    def chart(self, kind: str, *, title: str, series: list[tuple[str, int, int, int]], categories, **options):
        """A native chart under the tables. series: (name, first row, last row, column) of the values;
        categories: (first row, last row, column) of their labels."""
        settings = {"type": kind}
        if "subtype" in options:
            settings["subtype"] = options["subtype"]
        chart = self.workbook.add_chart(settings)
        for name, first, last, column in series:
            chart.add_series(
                {
                    "name": name,
                    "categories": [self.name, categories[0], categories[2], categories[1], categories[2]],
                    "values": [self.name, first, column, last, column],
                    **({"data_labels": {"value": True}} if options.get("labels") else {}),
                }
            )
        chart.set_title({"name": title, "name_font": {"size": 12}})
        if "y_format" in options:
            axis = {"num_format": options["y_format"], **({"max": 1} if options.get("whole") else {})}
            # A bar chart's values run along its x axis: the format goes to both.
            chart.set_y_axis(axis)
            chart.set_x_axis({"num_format": options["y_format"]} if kind == "bar" else {})
        chart.set_legend({"position": "bottom"})
        chart.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
        self.worksheet.insert_chart(self.row + 1, 0, chart, {"object_position": 1})
        self.row += CHART_ROWS


def _formats(workbook) -> dict:
    # Top-aligned, like the wrapped labels beside them.
    formats = {kind: workbook.add_format({"num_format": code, "valign": "top"}) for kind, code in FORMATS.items()}
    formats["header"] = workbook.add_format({"bold": True, "bg_color": "#E3E3FD", "border": 1, "text_wrap": True})
    formats["title"] = workbook.add_format({"bold": True, "font_size": 14})
    formats["subtitle"] = workbook.add_format({"bold": True, "font_size": 12})
    formats["wrap"] = workbook.add_format({"text_wrap": True, "valign": "top"})
    formats["note"] = workbook.add_format({"italic": True, "font_color": "#666666"})
    formats["key"] = workbook.add_format({"font_color": "#666666", "font_size": 9, "valign": "top"})
    formats["text"] = workbook.add_format({"valign": "top", "text_wrap": True})
    formats["plain"] = workbook.add_format({"text_wrap": False})
    formats["shown"] = workbook.add_format({"indent": 1, "valign": "top"})
    return formats


def _summary(writer: pd.ExcelWriter, indicator_set: IndicatorSet, formats: dict, secrecy_threshold) -> None:
    rows = summary_rows(indicator_set, secrecy_threshold=secrecy_threshold)
    frame = pd.DataFrame([{column.header: getattr(row, column.attribute) for column in COLUMNS} for row in rows])
    frame.to_excel(writer, sheet_name=SUMMARY_SHEET, index=False)
    worksheet = writer.sheets[SUMMARY_SHEET]
    attributes = [column.attribute for column in COLUMNS]
    for index, column in enumerate(COLUMNS):
        cell_format = {"key": formats["key"], "shown": formats["shown"]}.get(column.attribute)
        worksheet.set_column(index, index, column.width, cell_format)
        worksheet.write_string(0, index, column.header, formats["header"])
    label_width = COLUMNS[attributes.index("label")].width
    for offset, row in enumerate(rows, start=1):
        # Cells keep exact values; the number formats round what is shown (2 decimals, or whole counts).
        for attribute in ("numerator", "denominator"):
            number = getattr(row, attribute)
            if number is not None:
                kind = "integer" if isinstance(number, int) else "decimal"
                worksheet.write_number(offset, attributes.index(attribute), number, formats[kind])
        if row.value is not None:
            worksheet.write_number(offset, attributes.index("value"), row.value, formats[row.kind])
        worksheet.write_string(offset, attributes.index("label"), row.label, formats["text"])
        worksheet.write_string(offset, attributes.index("key"), row.key, formats["key"])
        worksheet.write_string(offset, attributes.index("shown"), row.shown, formats["shown"])
        lines = wrapped_lines(row.label, label_width)
        if lines > 1:
            worksheet.set_row(offset, 15 * lines)
    worksheet.freeze_panes(1, 0)
    worksheet.autofilter(0, 0, len(rows), len(COLUMNS) - 1)
    print_setup(
        worksheet, header_rows=(0, 0), landscape=False, one_page=True, area=(0, 0, len(rows), PRINTED_COLUMNS - 1)
    )


METHODOLOGY_WIDTHS = (30, 40, 92)  # key, label, definition (characters)


def _methodology(writer: pd.ExcelWriter, indicator_set: IndicatorSet, formats: dict, organisation_name: str) -> None:
    """Wrapped text with row heights set from its number of lines: nothing overlaps, on screen or on paper."""
    worksheet = writer.book.add_worksheet(METHODOLOGY_SHEET)
    writer.sheets[METHODOLOGY_SHEET] = worksheet
    for column, width in enumerate(METHODOLOGY_WIDTHS):
        worksheet.set_column(column, column, width, formats["text"])
    worksheet.write(0, 0, "Méthodologie des indicateurs", formats["title"])
    worksheet.write_string(
        1, 0, spreadsheets.neutralise(f"{organisation_name}, {period_text(indicator_set)}."), formats["plain"]
    )
    row = 3
    worksheet.write(row, 0, "Règles communes", formats["header"])
    for rule in CONVENTIONS:
        row += 1
        # A rule spans the three columns (merged), so that it reads as one paragraph.
        worksheet.merge_range(row, 0, row, 2, spreadsheets.neutralise(rule), formats["wrap"])
        worksheet.set_row(row, 15 * wrapped_lines(rule, sum(METHODOLOGY_WIDTHS) - 4))
    row += 2
    header = row
    for column, title in enumerate(("Clé", "Indicateur", "Définition")):
        worksheet.write(row, column, title, formats["header"])
    for key, label, definition in methodology_rows():
        row += 1
        worksheet.write_string(row, 0, key, formats["wrap"])
        worksheet.write_string(row, 1, label, formats["wrap"])
        worksheet.write_string(row, 2, definition, formats["wrap"])
        lines = max(
            wrapped_lines(text, width - 2)
            for text, width in zip((key, label, definition), METHODOLOGY_WIDTHS, strict=True)
        )
        worksheet.set_row(row, 15 * lines)
    print_setup(worksheet, header_rows=(header, header), landscape=False, area=(0, 0, row, 2))


def _staff_table(
    sheet: _Sheet, by_key: dict[str, Indicator], *, title: str, scopes: Iterable[str], key_prefix: str
) -> None:
    """Headcount and share of each gender category (rows) for each scope (two columns each): `key_prefix` is ""
    for the respondents of section A, "titulaires_" for those of section D."""
    sheet.header(title, *[f"{SCOPE_TITLES[scope]} : {what}" for scope in scopes for what in ("effectif", "part")])
    for category in CATEGORIES:
        cells = []
        for scope in scopes:
            indicator = by_key[f"{key_prefix}staff_{scope}_{category}_share"]
            cells += [(indicator, "numerator"), (indicator, "value")]
        sheet.line(CATEGORY_TITLES[category], cells)


def _staff(sheet: _Sheet, by_key: dict[str, Indicator]) -> None:
    _staff_table(sheet, by_key, title="", scopes=SCOPES, key_prefix="")
    total = by_key["staff_total"]
    sheet.line("Effectif total déclaré", [(total, "value")])
    sheet.line("Structures répondantes", [(by_key["respondents"], "value")])
    # The chart's table: one row per scope (its categories), one column per sex (its stacked series).
    sheet.row += 1
    sheet.header("Part de chaque sexe", *[CATEGORY_TITLES[category] for category in CATEGORIES])
    first = sheet.row
    for scope in SCOPES:
        sheet.line(
            SCOPE_TITLES[scope], [(by_key[f"staff_{scope}_{category}_share"], "value") for category in CATEGORIES]
        )
    last = sheet.row - 1
    sheet.chart(
        "column",
        title="Répartition des effectifs par sexe",
        subtype="stacked",
        series=[(CATEGORY_TITLES[category], first, last, 1 + index) for index, category in enumerate(CATEGORIES)],
        categories=(first, last, 0),
        y_format="0 %",
        whole=True,
    )


def _governance(sheet: _Sheet, by_key: dict[str, Indicator]) -> None:
    sheet.header("", "Part", "Structures concernées")
    board = by_key["board_has_share"]
    sheet.line(LABELS["board_has_share"], [(board, "value"), (board, "denominator")])
    for key in ("board_women_mean", "volunteers_women_mean"):
        sheet.line(LABELS[key], [(by_key[key], "value"), (by_key[key], "denominator")])
    sheet.row += 1
    sheet.header("Poste", *[CATEGORY_TITLES[category] for category in CATEGORIES], "Réponses")
    first = sheet.row
    for role in ROLES:
        cells = [(by_key[f"role_{role}_{category}_share"], "value") for category in CATEGORIES]
        sheet.line(ROLE_TITLES[role], [*cells, (by_key[f"role_{role}_F_share"], "denominator")])
    last = sheet.row - 1
    sheet.chart(
        "bar",
        title="Postes du conseil d'administration par sexe",
        subtype="percent_stacked",
        series=[(CATEGORY_TITLES[category], first, last, 1 + index) for index, category in enumerate(CATEGORIES)],
        categories=(first, last, 0),
        y_format="0 %",
    )


def _index(sheet: _Sheet, by_key: dict[str, Indicator]) -> None:
    sheet.header("", "Valeur", "Sur")
    for key in ("index_eligible", "index_given_share", "index_mean", "index_median"):
        sheet.line(LABELS[key], [(by_key[key], "value"), (by_key[key], "denominator")])
    # The published indexes (Egapro) next to the declared ones; a snapshot frozen before they existed has none.
    for key in published_index.KEYS:
        if key in by_key:
            sheet.line(LABELS[key], [(by_key[key], "value"), (by_key[key], "denominator")])
    sheet.row += 1
    sheet.header("Tranche", "Part", "Structures")
    first = sheet.row
    for band in BANDS:
        indicator = by_key[f"index_band_{band}_share"]
        sheet.line(BAND_LABELS[band].capitalize(), [(indicator, "value"), (indicator, "numerator")])
    last = sheet.row - 1
    sheet.chart(
        "pie",
        title="Structures par tranche d'index",
        series=[("Structures", first, last, 1)],
        categories=(first, last, 0),
        labels=True,
    )


def _commitments(sheet: _Sheet, by_key: dict[str, Indicator]) -> None:
    sheet.header("Engagement", "Part des structures", "Structures")
    first = sheet.row
    for commitment in [*COMMITMENTS, "none"]:
        indicator = by_key[f"commitment_{commitment}_share"]
        label = COMMITMENT_LABELS.get(commitment, "aucun engagement").capitalize()
        sheet.line(label, [(indicator, "value"), (indicator, "numerator")])
    last = sheet.row - 1
    policy = by_key["policy_text_share"]
    sheet.line(LABELS["policy_text_share"], [(policy, "value"), (policy, "numerator")])
    sheet.chart(
        "bar",
        title="Engagements des structures pour l'égalité",
        series=[("Part des structures", first, last, 1)],
        categories=(first, last, 0),
        y_format="0 %",
    )


def _clauses(sheet: _Sheet, by_key: dict[str, Indicator], breakdowns: Callable[[str], list] | None) -> None:
    sheet.header("Sexe", "Participant·es", "Part des participant·es", "Heures", "Part des heures")
    first = sheet.row
    for sex in CATEGORIES:
        people, hours = by_key[f"participants_{sex}_share"], by_key[f"hours_{sex}_share"]
        sheet.line(
            CATEGORY_TITLES[sex], [(people, "numerator"), (people, "value"), (hours, "numerator"), (hours, "value")]
        )
    last = sheet.row - 1
    total = sheet.line("Total", [(by_key["participants"], "value")])
    sheet.value(total, 3, by_key["hours_total"])
    sheet.row += 1
    for key in ("men_in_female_dominated_jobs", "women_in_male_dominated_jobs"):
        sheet.line(LABELS[key], [(by_key[key], "value"), (by_key[key], "denominator")])
    completion = by_key["hours_completion"]
    sheet.line(
        LABELS["hours_completion"],
        [(completion, "value"), (completion, "numerator"), (completion, "denominator")],
    )
    sheet.row += 1
    sheet.header("Type de marché", "Marchés avec clause")
    for key in MARKET_TYPE_KEYS.values():
        sheet.line(MARKET_TYPE_TITLES[key], [(by_key[f"markets_with_clause_{key}"], "value")])
    sheet.line("Total", [(by_key["markets_with_clause"], "value")])
    if breakdowns is not None:
        for by, title in (("employer_kind", "Type d'employeur"), ("market_type", "Type de marché")):
            sheet.row += 1
            rows = breakdowns(by)
            sheet.text(f"Participant·es et heures par {title.lower()} et par sexe (relevés de la période).")
            sheet.header(title, "Sexe", "Participant·es", "Heures")
            labels = GROUP_LABELS[by]
            hidden_groups = secrecy.secret_groups(rows, secrecy_threshold=sheet.threshold)
            for row in rows:
                group = labels.get(row.group, row.group) or "Non renseigné"
                sheet.worksheet.write_string(sheet.row, 0, spreadsheets.neutralise(group))
                sheet.worksheet.write_string(sheet.row, 1, SEX_LABELS.get(row.sex, row.sex))
                if secrecy.is_secret_count(row.participants, secrecy_threshold=sheet.threshold):
                    sheet.worksheet.write_string(sheet.row, 2, secrecy.SECRET_LABEL, sheet.formats["note"])
                else:
                    sheet.worksheet.write_number(sheet.row, 2, row.participants, sheet.formats["integer"])
                if row.group in hidden_groups:
                    sheet.worksheet.write_string(sheet.row, 3, secrecy.SECRET_LABEL, sheet.formats["note"])
                else:
                    sheet.worksheet.write_number(sheet.row, 3, float(row.hours), sheet.formats["decimal"])
                sheet.row += 1
    sheet.chart(
        "column",
        title="Participant·es et heures d'insertion par sexe",
        series=[("Participant·es", first, last, 2), ("Heures", first, last, 4)],
        categories=(first, last, 0),
        y_format="0 %",
    )


def _titulaires(sheet: _Sheet, by_key: dict[str, Indicator]) -> None:
    """Section D in three short tables (one printed page): the markets and their titulaires, the pooled headcounts
    of the titulaires that answered, their commitments and index."""
    from analytics.indicators.titulaires import KEYS as TITULAIRE_KEYS
    from analytics.indicators.titulaires import SCOPES as TITULAIRE_SCOPES

    if any(key not in by_key for key in TITULAIRE_KEYS):
        # A snapshot stored before section D existed: the figures were never computed.
        sheet.text("Chiffres calculés avant l'ajout de cette section : recalculez la période pour les obtenir.")
        return
    sheet.header("Marchés notifiés et titulaires", "Valeur", "Numérateur", "Dénominateur")
    for key in ("awarded_markets", "titulaires"):
        sheet.line(LABELS[key], [(by_key[key], "value")])
    for key in ("titulaires_answered_share", "awarded_amount_answered_share", "awarded_social_consideration_share"):
        indicator = by_key[key]
        sheet.line(LABELS[key], [(indicator, "value"), (indicator, "numerator"), (indicator, "denominator")])
    sheet.row += 1
    _staff_table(
        sheet,
        by_key,
        title="Effectifs des titulaires ayant répondu",
        scopes=TITULAIRE_SCOPES,
        key_prefix="titulaires_",
    )
    sheet.row += 1
    sheet.header("Réponses des titulaires", "Part", "Titulaires", "Sur")
    for key in ("titulaires_commitment_none_share", "titulaires_index_given_share"):
        indicator = by_key[key]
        sheet.line(LABELS[key], [(indicator, "value"), (indicator, "numerator"), (indicator, "denominator")])


def _clause_breakdowns(indicator_set: IndicatorSet) -> Callable[[str], list]:
    from analytics.indicators.clauses import clause_breakdown
    from procurement.models import Organisation

    organisations = list(Organisation.objects.filter(pk__in=indicator_set.organisation_ids))

    def breakdown(by: str) -> list:
        return clause_breakdown(organisations=organisations, start=indicator_set.start, end=indicator_set.end, by=by)

    return breakdown


def build_workbook(
    indicator_set: IndicatorSet,
    *,
    organisation_name: str,
    secrecy_threshold: int | None = secrecy.DEFAULT_THRESHOLD,
    with_clause_breakdowns: bool = True,
) -> bytes:
    """The workbook as bytes. `with_clause_breakdowns` adds the by-employer-kind tables, read from the clause
    records of the set's organisations and period (one query each); off, the workbook reads only the set."""
    output = io.BytesIO()
    with pd.ExcelWriter(output, engine="xlsxwriter", engine_kwargs=spreadsheets.pandas_engine_kwargs()) as writer:
        formats = _formats(writer.book)
        writer.book.set_properties(
            {"title": f"Indicateurs égalité, {organisation_name}, {period_text(indicator_set)}", "language": "fr-FR"}
        )
        _summary(writer, indicator_set, formats, secrecy_threshold)
        _methodology(writer, indicator_set, formats, organisation_name)
        by_key = indicator_set.by_key()
        secret = secrecy.secret_keys(indicator_set, secrecy_threshold=secrecy_threshold)
        breakdowns = _clause_breakdowns(indicator_set) if with_clause_breakdowns else None
        period = period_text(indicator_set)
        titulaires_title = f"Titulaires des marchés et leurs réponses à l'annexe, {period}"
        themes = [
            ("Effectifs", "Effectifs des structures répondantes", _staff),
            ("Gouvernance", "Conseil d'administration et bénévoles", _governance),
            ("Index", "Index de l'égalité professionnelle", _index),
            ("Engagements", "Engagements pour l'égalité", _commitments),
            ("Clauses d'insertion", "Clauses d'insertion", lambda sheet, keys: _clauses(sheet, keys, breakdowns)),
        ]
        for name, title, write in themes:
            sheet = _Sheet(
                writer, name, formats, title=f"{title}, {period}", secret=secret, threshold=secrecy_threshold
            )
            write(sheet, by_key)
            if name == TITULAIRES_PRINTED_ON:
                sheet.row += 1
                sheet.subtitle(f"{titulaires_title} (feuille « {TITULAIRES_SHEET} »)")
                _titulaires(sheet, by_key)
            sheet.finish()
        sheet = _Sheet(
            writer, TITULAIRES_SHEET, formats, title=titulaires_title, secret=secret, threshold=secrecy_threshold
        )
        _titulaires(sheet, by_key)
        sheet.finish(printed=False)
    return output.getvalue()
