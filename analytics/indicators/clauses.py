"""Section B of docs/indicateurs.md: insertion clauses, exactly as defined there.

"Hours are recorded per participant, per contract (mission), per month. A record belongs to the period when
its month does." Here: a record belongs to [start, end] when the first day of its month lies in it (for a
calendar year or whole months, the month is simply in the period).
- `participants` = participants with more than 0 hours in the period, each once whatever their number of
  contracts or markets; `participants_<C>_share` for C in F, H, NB, NSP (denominator `participants`).
- `hours_total` = sum of hours in the period (exact decimals, 2 places); `hours_<C>_share` = hours of
  participants of category C / hours_total.
- `men_in_female_dominated_jobs` = men with hours in the period on a contract whose job is flagged
  female-dominated; `women_in_male_dominated_jobs` likewise (count; numerator = value = the count,
  denominator = participants of that sex).
- `markets_with_clause` = markets with an insertion clause whose execution period overlaps the period, and
  `markets_with_clause_<type>` for works (travaux), services, supplies (fournitures). The execution period of
  a clause is the one recorded on the clause (`InsertionClause.start`/`end`); a market with planned hours and no
  clause recorded yet (the first hours imported or mission entered on it record it) counts with that clause, its
  planned hours over its execution dates (`_markets_awaiting_clause`).
- `hours_completion` = hours realised in the period on those markets, awaiting ones included / hours planned for
  them, each clause's planned hours prorated to the days of its execution period that fall in [start, end] (both
  ends counted).

Every figure comes from SQL aggregations (one over hours, one over clauses); nothing loops over hour rows in
Python. Values are exact: `Fraction` for ratios, `Decimal` for hours; a denominator of 0 gives None.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Exists, F, OuterRef, Q, Sum

from analytics.indicators.base import Indicator, Kind, Section
from analytics.indicators.scope import ids_of
from clauses.enums import JobDominance, Sex
from clauses.models import HoursRecord, InsertionClause
from procurement.enums import MarketType
from procurement.models import Market, Organisation

SEXES = list(Sex)
MARKET_TYPE_KEYS = {MarketType.TRAVAUX: "works", MarketType.SERVICES: "services", MarketType.FOURNITURES: "supplies"}
ZERO_HOURS = Decimal("0.00")

KEYS = [
    "participants",
    *[f"participants_{sex}_share" for sex in SEXES],
    "hours_total",
    *[f"hours_{sex}_share" for sex in SEXES],
    "men_in_female_dominated_jobs",
    "women_in_male_dominated_jobs",
    "markets_with_clause",
    *[f"markets_with_clause_{key}" for key in MARKET_TYPE_KEYS.values()],
    "hours_completion",
]


KINDS = {
    key: Kind.SHARE
    if key.endswith("_share") or key == "hours_completion"
    else Kind.HOURS
    if key == "hours_total"
    else Kind.COUNT
    for key in KEYS
}


# The figures counted in hours: the total's value, the numerator and denominator of the shares of hours and of the
# completion (planned hours).
IN_HOURS = frozenset(key for key in KEYS if key.startswith("hours_"))


def _indicator(key: str, numerator, denominator, value) -> Indicator:
    return Indicator(key, Section.CLAUSES, KINDS[key], numerator, denominator, value)


@dataclass
class _ClauseFigures:
    markets: set[int]
    markets_by_type: dict[str, set[int]]
    planned: Fraction


def clause_indicators(
    *,
    organisations: Organisation | Iterable[Organisation],
    start: datetime.date,
    end: datetime.date,
    market: Market | None = None,
) -> list[Indicator]:
    """Every indicator of section B for one or several buyers over [start, end], optionally for one market."""
    organisation_ids = ids_of(organisations)
    hours = _hours_in_period(organisation_ids, start, end)
    if market is not None:
        hours = hours.filter(mission__market=market)
    row = hours.aggregate(**_aggregates(start, end))
    figures = _clause_figures(organisation_ids, start, end, group_by=None, market=market).get(None)
    return _indicators(row, figures)


def clause_indicators_by_market(
    *, organisations: Organisation | Iterable[Organisation], start: datetime.date, end: datetime.date
) -> dict[int, list[Indicator]]:
    """The same indicators restricted to each market that has a clause or hours in the period (by market id)."""
    return _grouped(ids_of(organisations), start, end, hours_field="mission__market", group_by="market")


def clause_indicators_by_organisation(
    *, organisations: Organisation | Iterable[Organisation], start: datetime.date, end: datetime.date
) -> dict[int, list[Indicator]]:
    """The same indicators restricted to each buyer (donneur d'ordre), by organisation id."""
    return _grouped(
        ids_of(organisations),
        start,
        end,
        hours_field="mission__market__organisation",
        group_by="organisation",
    )


def as_dict(indicators: list[Indicator]) -> dict[str, Indicator]:
    return {indicator.key: indicator for indicator in indicators}


def _hours_in_period(organisation_ids: list[int], start: datetime.date, end: datetime.date):
    return HoursRecord.objects.filter(
        mission__market__organisation__in=organisation_ids, month__gte=start, month__lte=end
    )


def _clauses_in_period(organisation_ids: list[int], start: datetime.date, end: datetime.date):
    return InsertionClause.objects.filter(market__organisation__in=organisation_ids).overlapping(start, end)


def _markets_awaiting_clause(start: datetime.date, end: datetime.date):
    """Markets with planned insertion hours, execution dates overlapping [start, end] and no clause recorded: the
    first hours imported or mission entered on them record it (clauses.services.participants.clause_from_market);
    markets from before missions recorded it may have hand-entered hours and none. They count with that clause,
    their planned hours over their execution dates, so that such a market weighs in `markets_with_clause` and in
    both terms of `hours_completion`, whether or not hours were reported."""
    return Market.objects.filter(
        insertion_hours_planned__isnull=False,
        execution_start__lte=end,
        execution_end__gte=start,
    ).exclude(Exists(InsertionClause.objects.filter(market=OuterRef("pk"))))


def _aggregates(start: datetime.date, end: datetime.date) -> dict:
    participant = "mission__participant"
    # The markets of `markets_with_clause`: the hours done on them are `hours_completion`'s numerator.
    on_clause_market = Q(
        Exists(InsertionClause.objects.overlapping(start, end).filter(market=OuterRef("mission__market")))
    ) | Q(mission__market__in=_markets_awaiting_clause(start, end).values("pk"))  # not correlated: planned once
    aggregates = {"participants": Count(participant, distinct=True), "hours_total": Sum("hours")}
    for sex in SEXES:
        of_sex = Q(mission__participant__sex=sex)
        aggregates[f"participants_{sex}"] = Count(participant, distinct=True, filter=of_sex)
        aggregates[f"hours_{sex}"] = Sum("hours", filter=of_sex)
    man_in_female_job = Q(mission__participant__sex=Sex.H, mission__job_dominance=JobDominance.FEMALE)
    woman_in_male_job = Q(mission__participant__sex=Sex.F, mission__job_dominance=JobDominance.MALE)
    aggregates["men_in_female_dominated_jobs"] = Count(participant, distinct=True, filter=man_in_female_job)
    aggregates["women_in_male_dominated_jobs"] = Count(participant, distinct=True, filter=woman_in_male_job)
    aggregates["hours_on_clause_markets"] = Sum("hours", filter=on_clause_market)
    return aggregates


# The fields of a clause's market, type, planned hours and dates, and of its group, as recorded on the clause or, for
# a clause to come, on its market.
_CLAUSE_FIELDS = ["market_id", "market__market_type", "hours_planned", "start", "end"]
_MARKET_FIELDS = ["pk", "market_type", "insertion_hours_planned", "execution_start", "execution_end"]
_GROUP_FIELDS = {
    None: (),
    "market": ("market_id", "pk"),
    "organisation": ("market__organisation_id", "organisation_id"),
}


def _clause_figures(
    organisation_ids: list[int], start: datetime.date, end: datetime.date, *, group_by: str | None, market=None
):
    """Markets with a clause and prorated planned hours, per group; loops over clauses, never over hours."""
    clauses = _clauses_in_period(organisation_ids, start, end)
    to_come = _markets_awaiting_clause(start, end).filter(organisation__in=organisation_ids)
    if market is not None:
        clauses, to_come = clauses.filter(market=market), to_come.filter(pk=market.pk)
    group_fields = _GROUP_FIELDS[group_by]
    rows = [
        *clauses.values_list(*_CLAUSE_FIELDS, *group_fields[:1]),
        *to_come.values_list(*_MARKET_FIELDS, *group_fields[1:]),
    ]
    figures: dict = {}
    for row in rows:
        market_id, market_type, planned, clause_start, clause_end = row[:5]
        group = row[5] if group_by else None
        figure = figures.setdefault(group, _ClauseFigures(set(), defaultdict(set), Fraction(0)))
        figure.markets.add(market_id)
        figure.markets_by_type[market_type].add(market_id)
        overlap = (min(end, clause_end) - max(start, clause_start)).days + 1
        length = (clause_end - clause_start).days + 1
        figure.planned += Fraction(planned) * Fraction(overlap, length)
    return figures


def _grouped(organisation_ids: list[int], start, end, *, hours_field: str, group_by: str):
    rows = {
        row.pop("group"): row
        for row in _hours_in_period(organisation_ids, start, end)
        .values(group=F(hours_field))
        .annotate(**_aggregates(start, end))
        .order_by()
    }
    figures = _clause_figures(organisation_ids, start, end, group_by=group_by)
    groups = sorted(rows.keys() | figures.keys())
    return {group: _indicators(rows.get(group, {}), figures.get(group)) for group in groups}


def _hours(value) -> Decimal:
    return ZERO_HOURS if value is None else Decimal(value).quantize(ZERO_HOURS)


def _share(numerator, denominator) -> Fraction | None:
    return Fraction(numerator) / Fraction(denominator) if denominator else None


def _indicators(row: dict, figures: _ClauseFigures | None) -> list[Indicator]:
    participants = row.get("participants") or 0
    hours_total = _hours(row.get("hours_total"))
    indicators = [_indicator("participants", participants, None, participants)]
    for sex in SEXES:
        count = row.get(f"participants_{sex}") or 0
        share = _share(count, participants)
        indicators.append(_indicator(f"participants_{sex}_share", count, participants, share))
    indicators.append(_indicator("hours_total", hours_total, None, hours_total))
    for sex in SEXES:
        hours = _hours(row.get(f"hours_{sex}"))
        indicators.append(_indicator(f"hours_{sex}_share", hours, hours_total, _share(hours, hours_total)))
    men = row.get("men_in_female_dominated_jobs") or 0
    women = row.get("women_in_male_dominated_jobs") or 0
    indicators.append(_indicator("men_in_female_dominated_jobs", men, row.get(f"participants_{Sex.H}") or 0, men))
    indicators.append(_indicator("women_in_male_dominated_jobs", women, row.get(f"participants_{Sex.F}") or 0, women))
    figures = figures or _ClauseFigures(set(), defaultdict(set), Fraction(0))
    indicators.append(_indicator("markets_with_clause", len(figures.markets), None, len(figures.markets)))
    for market_type, key in MARKET_TYPE_KEYS.items():
        count = len(figures.markets_by_type.get(market_type, ()))
        indicators.append(_indicator(f"markets_with_clause_{key}", count, None, count))
    done = _hours(row.get("hours_on_clause_markets"))
    indicators.append(_indicator("hours_completion", done, figures.planned, _share(done, figures.planned)))
    return indicators


@dataclass(frozen=True)
class BreakdownRow:
    """Participants (each once) and hours of one group and one sex, over the period."""

    group: str
    sex: str
    participants: int
    hours: Decimal


def clause_breakdown(
    *, organisations: Organisation | Iterable[Organisation], start: datetime.date, end: datetime.date, by: str
) -> list[BreakdownRow]:
    """Participants and hours by sex and by `employer_kind` or `market_type` (the yearly insertion report's
    tables); one SQL aggregation. A participant working for two kinds of employer counts in each."""
    field = {"employer_kind": "mission__employer__kind", "market_type": "mission__market__market_type"}[by]
    rows = (
        _hours_in_period(ids_of(organisations), start, end)
        .values(group=F(field), sex=F("mission__participant__sex"))
        .annotate(participants=Count("mission__participant", distinct=True), hours=Sum("hours"))
        .order_by("group", "sex")
    )
    return [BreakdownRow(row["group"] or "", row["sex"], row["participants"], _hours(row["hours"])) for row in rows]
