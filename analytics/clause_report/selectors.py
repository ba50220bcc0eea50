"""The yearly insertion-clause report of one buyer: what its page and its workbook show (docs/indicateurs.md, B)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from analytics import secrecy
from analytics.clause_report.exports import MarketLine, build_workbook
from analytics.formatting import display_or_secret
from analytics.indicators.base import Indicator
from analytics.indicators.clauses import (
    BreakdownRow,
    as_dict,
    clause_breakdown,
    clause_indicators,
    clause_indicators_by_market,
)
from analytics.selectors import settings_for
from clauses.models import HoursRecord, InsertionClause
from procurement.charts import MEASURES, Series, has_values, horizontal_bars
from procurement.models import Market, Organisation

TREND_YEARS = 5


@dataclass
class ClauseReport:
    organisation: Organisation
    year: int
    years: list[int]
    indicators: list[Indicator]
    markets: list[MarketLine]
    by_market_type: list[BreakdownRow]
    by_employer_kind: list[BreakdownRow]
    secrecy_threshold: int | None = secrecy.DEFAULT_THRESHOLD

    def by_key(self) -> dict[str, Indicator]:
        return as_dict(self.indicators)

    @property
    def secret(self) -> set[str]:
        """The keys of the buyer's figures under statistical secrecy (analytics.secrecy)."""
        return secrecy.secret_keys(self.indicators, secrecy_threshold=self.secrecy_threshold)


def report_years(*, organisation: Organisation) -> list[int]:
    """Years with hours or with a clause running, up to the current year, most recent last."""
    hours = HoursRecord.objects.filter(mission__market__organisation=organisation)
    years = {day.year for day in hours.dates("month", "year")}
    this_year = timezone.localdate().year
    for start, end in InsertionClause.objects.filter(market__organisation=organisation).values_list("start", "end"):
        years.update(range(start.year, min(end.year, this_year) + 1))
    return sorted(years)


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def build_report(*, organisation: Organisation, year: int) -> ClauseReport:
    start, end = _year_bounds(year)
    per_market = clause_indicators_by_market(organisations=organisation, start=start, end=end)
    markets = Market.objects.filter(pk__in=per_market).in_bulk()
    threshold = settings_for(organisation=organisation).effective_threshold
    # In the table's order, so that ties in the complementary secrecy fall the same way every time.
    per_market = dict(sorted(per_market.items(), key=lambda item: markets[item[0]].reference))
    secret = secrecy.secret_keys_by_part(per_market, secrecy_threshold=threshold)
    lines = [
        MarketLine(
            markets[pk].reference,
            markets[pk].title,
            markets[pk].market_type,
            as_dict(indicators),
            frozenset(secret[pk]),
        )
        for pk, indicators in per_market.items()
    ]
    return ClauseReport(
        organisation=organisation,
        year=year,
        years=report_years(organisation=organisation),
        indicators=clause_indicators(organisations=organisation, start=start, end=end),
        markets=lines,
        by_market_type=clause_breakdown(organisations=organisation, start=start, end=end, by="market_type"),
        by_employer_kind=clause_breakdown(organisations=organisation, start=start, end=end, by="employer_kind"),
        secrecy_threshold=threshold,
    )


@dataclass
class TrendYear:
    year: int
    indicators: dict[str, Indicator]
    secret: frozenset[str] = frozenset()

    def text(self, key: str, *, hours_unit: bool = False) -> str:
        return display_or_secret(self.indicators.get(key), secret=set(self.secret), hours_unit=hours_unit)


def trends(*, organisation: Organisation, until: int) -> list[TrendYear]:
    """The same indicators for the last years up to `until` that have data."""
    years = [year for year in report_years(organisation=organisation) if year <= until][-TREND_YEARS:]
    threshold = settings_for(organisation=organisation).effective_threshold
    rows = []
    for year in years:
        start, end = _year_bounds(year)
        indicators = clause_indicators(organisations=organisation, start=start, end=end)
        secret = frozenset(secrecy.secret_keys(indicators, secrecy_threshold=threshold))
        rows.append(TrendYear(year, as_dict(indicators), secret))
    return rows


def trend_chart(rows: list[TrendYear]):
    """The women's shares year after year, or None when no year has a share to draw (all under secrecy)."""

    def series(label: str, key: str) -> Series:
        values = [None if key in row.secret else row.indicators[key].value for row in rows]
        return Series(label, values, missing=[row.text(key) for row in rows])

    drawn = [
        series("Participant·es femmes", "participants_F_share"),
        series("Heures réalisées par des femmes", "hours_F_share"),
    ]
    if not has_values(one.values for one in drawn):
        return None
    return horizontal_bars(
        title="Part des femmes parmi les participant·es et dans les heures d'insertion, par année",
        categories=[str(row.year) for row in rows],
        series=drawn,
        shares=True,
        palette=MEASURES,  # women's shares of two measures, not sexes
    )


def report_workbook(report: ClauseReport) -> bytes:
    return build_workbook(
        organisation_name=report.organisation.name,
        year=report.year,
        indicators=report.indicators,
        markets=report.markets,
        by_market_type=report.by_market_type,
        by_employer_kind=report.by_employer_kind,
        secrecy_threshold=report.secrecy_threshold,
    )
