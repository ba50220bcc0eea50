"""The yearly insertion-clause report of one buyer: what its page and its workbook show (docs/indicateurs.md, B)."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from analytics.charts import Series, grouped_bars
from analytics.clause_report.exports import MarketLine, build_workbook
from analytics.indicators.base import Indicator
from analytics.indicators.clauses import (
    BreakdownRow,
    as_dict,
    clause_breakdown,
    clause_indicators,
    clause_indicators_by_market,
)
from clauses.models import HoursRecord, InsertionClause
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

    def by_key(self) -> dict[str, Indicator]:
        return as_dict(self.indicators)


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
    lines = [
        MarketLine(markets[pk].reference, markets[pk].title, markets[pk].market_type, as_dict(indicators))
        for pk, indicators in sorted(per_market.items(), key=lambda item: markets[item[0]].reference)
    ]
    return ClauseReport(
        organisation=organisation,
        year=year,
        years=report_years(organisation=organisation),
        indicators=clause_indicators(organisations=organisation, start=start, end=end),
        markets=lines,
        by_market_type=clause_breakdown(organisations=organisation, start=start, end=end, by="market_type"),
        by_employer_kind=clause_breakdown(organisations=organisation, start=start, end=end, by="employer_kind"),
    )


@dataclass
class TrendYear:
    year: int
    indicators: dict[str, Indicator]


def trends(*, organisation: Organisation, until: int) -> list[TrendYear]:
    """The same indicators for the last years up to `until` that have data."""
    years = [year for year in report_years(organisation=organisation) if year <= until][-TREND_YEARS:]
    return [
        TrendYear(year, as_dict(clause_indicators(organisations=organisation, start=start, end=end)))
        for year in years
        for start, end in [_year_bounds(year)]
    ]


def trend_chart(rows: list[TrendYear]):
    return grouped_bars(
        title="Part des femmes parmi les participant·es et dans les heures d'insertion, par année",
        categories=[str(row.year) for row in rows],
        series=[
            Series("Participant·es femmes", [row.indicators["participants_F_share"].value for row in rows]),
            Series("Heures réalisées par des femmes", [row.indicators["hours_F_share"].value for row in rows]),
        ],
        shares=True,
    )


def report_workbook(report: ClauseReport) -> bytes:
    return build_workbook(
        organisation_name=report.organisation.name,
        year=report.year,
        indicators=report.indicators,
        markets=report.markets,
        by_market_type=report.by_market_type,
        by_employer_kind=report.by_employer_kind,
    )
