"""What the dashboard shows, built from a snapshot's IndicatorSet: rows per section, charts with their data tables.

Every figure goes through `analytics.formatting.display` and `analytics.secrecy`: the page, the charts and the
exports read the same computed values.
"""

from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from analytics import secrecy
from analytics.formatting import display_or_secret
from analytics.indicators.base import Indicator, IndicatorSet, Section
from analytics.indicators.labels import LABELS
from procurement import charts
from procurement.enums import GENDER_PLURAL_LABELS, Gender

SECTION_TITLES = {
    Section.ANNEX: "Annexe égalité des entreprises candidates",
    Section.CLAUSES: "Clauses d'insertion",
    Section.SPECIFICATIONS: "Cahiers des charges",
    Section.TITULAIRES: "Titulaires des marchés",
}
SEXES = [(gender.value, GENDER_PLURAL_LABELS[gender]) for gender in Gender]
STAFF_SCOPES = [("all", "Ensemble"), ("cadres", "Cadres"), ("non_cadres", "Non cadres")]
BOARD_ROLES = [("president", "Présidence"), ("secretary", "Secrétariat"), ("treasurer", "Trésorerie")]
BANDS = [
    ("below_75", "Moins de 75"),
    ("75_to_84", "De 75 à 84"),
    ("85_and_above", "85 ou plus"),
    ("not_computable", "Non calculable"),
]
# Short names under the bars; the data table and the indicator rows give the full wording.
COMMITMENTS = [
    ("agreements", "Accords"),
    ("action_plan", "Plan d'actions"),
    ("training", "Formations"),
    ("harassment_unit", "Cellule VSS"),
    ("label", "Label"),
    ("partnerships", "Partenariats"),
    ("events", "Événements"),
    ("other", "Autres"),
    ("none", "Aucun"),
]
TRENDS = [
    ("staff_all_F_share", "Femmes dans les effectifs"),
    ("staff_cadres_F_share", "Femmes parmi les cadres"),
    ("participants_F_share", "Femmes parmi les participant·es aux clauses"),
]


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    text: str
    secret: bool
    compared_text: str | None = None

    @property
    def changed(self) -> bool:
        return self.compared_text is not None and self.compared_text != self.text


@dataclass(frozen=True)
class SectionRows:
    key: str
    title: str
    rows: list[Row]


@dataclass
class Chart:
    title: str
    svg: SafeString
    caption: str
    columns: list[str]
    table: list[tuple[str, list[str]]] = field(default_factory=list)
    theme: str = ""

    @property
    def anchor(self) -> str:
        return "graphique-" + "".join(char if char.isalnum() else "-" for char in self.title.lower())[:50]


@dataclass
class Theme:
    title: str
    charts: list[Chart]


def secret_keys_of(indicator_set: IndicatorSet | None, secrecy_threshold: int | None) -> set[str]:
    """The keys of the set under statistical secrecy (analytics.secrecy, the one rule)."""
    if indicator_set is None:
        return set()
    return secrecy.secret_keys(indicator_set, secrecy_threshold=secrecy_threshold)


def indicator_text(indicator: Indicator | None, *, secret: set[str]) -> str:
    return display_or_secret(indicator, secret=secret)


def sections(
    indicator_set: IndicatorSet, *, secrecy_threshold: int | None, compared: IndicatorSet | None = None
) -> list[SectionRows]:
    compared_by_key = compared.by_key() if compared is not None else {}
    secret = secret_keys_of(indicator_set, secrecy_threshold)
    compared_secret = secret_keys_of(compared, secrecy_threshold)
    result = []
    for section in Section.ALL:
        rows = [
            Row(
                key=indicator.key,
                label=LABELS.get(indicator.key, indicator.key),
                text=indicator_text(indicator, secret=secret),
                secret=indicator.key in secret,
                compared_text=(
                    indicator_text(compared_by_key.get(indicator.key), secret=compared_secret)
                    if compared is not None
                    else None
                ),
            )
            for indicator in indicator_set.section(section)
        ]
        if rows:
            result.append(SectionRows(key=section, title=SECTION_TITLES[section], rows=rows))
    return result


def _value(indicator: Indicator | None, secret: set[str]):
    """What a chart draws: nothing for a secret or missing figure."""
    if indicator is None or indicator.value is None or indicator.key in secret:
        return None
    return indicator.value


def _chart(
    *,
    title: str,
    caption: str,
    categories: list[tuple[str, str]],
    series: list[tuple[str, str]],
    key_of,
    sets: dict[str, IndicatorSet] | IndicatorSet,
    secrecy_threshold: int | None,
    theme: str,
) -> Chart | None:
    """`key_of(category, series)` names the indicator of each bar; `sets` maps a category to its set (trends). The
    series are drawn in the sexes' colours and patterns when they are SEXES, in those of other measures otherwise."""
    secret_by_set: dict[int, set[str]] = {}

    def set_of(category_key: str) -> tuple[IndicatorSet, set[str]]:
        one = sets[category_key] if isinstance(sets, dict) else sets
        if id(one) not in secret_by_set:
            secret_by_set[id(one)] = secret_keys_of(one, secrecy_threshold)
        return one, secret_by_set[id(one)]

    drawn, table = [], []
    for series_key, series_label in series:
        values, missing = [], []
        for category_key, _ in categories:
            indicator_set, secret = set_of(category_key)
            indicator = indicator_set.by_key().get(key_of(category_key, series_key))
            values.append(_value(indicator, secret))
            missing.append(indicator_text(indicator, secret=secret))
        drawn.append(charts.Series(label=series_label, values=values, missing=missing))
    for category_key, category_label in categories:
        indicator_set, secret = set_of(category_key)
        by_key = indicator_set.by_key()
        table.append(
            (
                category_label,
                [
                    indicator_text(by_key.get(key_of(category_key, series_key)), secret=secret)
                    for series_key, _ in series
                ],
            )
        )
    if not charts.has_values(one.values for one in drawn):
        return None
    svg = charts.horizontal_bars(
        title=title,
        categories=[label for _, label in categories],
        series=drawn,
        shares=True,
        palette=charts.SEXES if series == SEXES else charts.MEASURES,
    )
    return Chart(
        title=title, svg=svg, caption=caption, columns=[label for _, label in series], table=table, theme=theme
    )


THEMES = [
    "Effectifs",
    "Gouvernance",
    "Index de l'égalité professionnelle",
    "Engagements pour l'égalité",
    "Clauses d'insertion",
    "Évolution",
]
CLAUSE_MEASURES = [("participants", "Participant·es"), ("hours", "Heures réalisées")]


def dashboard_charts(
    indicator_set: IndicatorSet, *, secrecy_threshold: int | None, trend: list[tuple[int, IndicatorSet]]
) -> list[Chart]:
    """The dashboard's charts, in the order of THEMES; a chart with nothing to draw (no data, or every figure
    secret) is left out."""
    common = {"sets": indicator_set, "secrecy_threshold": secrecy_threshold}
    candidates = [
        _chart(
            title="Effectifs par sexe et catégorie",
            caption="Part de chaque sexe dans les effectifs déclarés par les structures répondantes.",
            categories=STAFF_SCOPES,
            series=SEXES,
            key_of=lambda scope, sex: f"staff_{scope}_{sex}_share",
            theme=THEMES[0],
            **common,
        ),
        _chart(
            title="Fonctions des conseils d'administration par sexe",
            caption="Part de chaque sexe parmi les personnes occupant la fonction, hors «\u00a0sans objet\u00a0».",
            categories=BOARD_ROLES,
            series=SEXES,
            key_of=lambda role, sex: f"role_{role}_{sex}_share",
            theme=THEMES[1],
            **common,
        ),
        _chart(
            title="Index de l'égalité professionnelle par tranche",
            caption="Part des structures de 50 salarié·es ou plus dans chaque tranche d'index.",
            categories=BANDS,
            series=[("share", "Part des structures")],
            key_of=lambda band, _: f"index_band_{band}_share",
            theme=THEMES[2],
            **common,
        ),
        _chart(
            title="Engagements en faveur de l'égalité",
            caption="Part des structures répondantes ayant pris chaque engagement.",
            categories=COMMITMENTS,
            series=[("share", "Part des structures")],
            key_of=lambda commitment, _: f"commitment_{commitment}_share",
            theme=THEMES[3],
            **common,
        ),
        _chart(
            title="Participant·es et heures d'insertion par sexe",
            caption="Part de chaque sexe parmi les participant·es aux clauses et dans les heures réalisées.",
            categories=CLAUSE_MEASURES,
            series=SEXES,
            key_of=lambda measure, sex: f"{measure}_{sex}_share",
            theme=THEMES[4],
            **common,
        ),
    ]
    if len(trend) > 1:
        candidates.append(
            _chart(
                title="Évolution d'une année sur l'autre",
                caption="Années calculées (les chiffres figés quand l'année a été publiée).",
                categories=[(str(year), str(year)) for year, _ in trend],
                series=TRENDS,
                key_of=lambda _, key: key,
                sets={str(year): one for year, one in trend},
                secrecy_threshold=secrecy_threshold,
                theme=THEMES[5],
            )
        )
    return [chart for chart in candidates if chart is not None]


def themes(charts_shown: list[Chart]) -> list[Theme]:
    """The charts grouped by theme, in the order of THEMES (a theme without chart is left out)."""
    grouped = [Theme(title, [chart for chart in charts_shown if chart.theme == title]) for title in THEMES]
    return [theme for theme in grouped if theme.charts]
