"""Reads of the facilitators' screens: clause markets with hours done, the month × participant grid, participants."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.db.models import Count, Q, QuerySet, Sum

from clauses.models import HoursRecord, InsertionClause, Mission, Participant, ParticipantAccess
from procurement.charts import progress_value
from procurement.french import percent
from procurement.models import Lot, Market, Organisation
from procurement.search import matching

ZERO = Decimal("0.00")
# Abbreviations that keep juin and juillet apart (Django's "M" gives "jui" for both).
MONTH_ABBREVIATIONS = [
    *["janv.", "févr.", "mars", "avr.", "mai", "juin"],
    *["juil.", "août", "sept.", "oct.", "nov.", "déc."],
]


@dataclass
class ClauseMarket:
    market: Market
    clauses: list[InsertionClause]
    hours_planned: Decimal
    hours_done: Decimal
    participants: int

    @property
    def completion(self) -> Fraction | None:
        """Hours done over hours planned, exact (None without planned hours)."""
        if not self.hours_planned:
            return None
        return Fraction(self.hours_done) / Fraction(self.hours_planned)

    @property
    def completion_text(self) -> str:
        """« 82,38 % », rounded as every figure of the platform (half-up, 2 decimals), never truncated."""
        return percent(self.completion)

    @property
    def bar_percent(self) -> int:
        """How full the progress bar is, in whole percent, 100 at most (the text beside it gives the figure)."""
        return progress_value(self.completion) if self.completion is not None else 0


def clause_markets(*, organisation: Organisation) -> list[ClauseMarket]:
    """Markets with a clause, with hours done since the start and participants: three queries in all."""
    clauses = list(
        InsertionClause.objects.filter(market__organisation=organisation)
        .select_related("market", "lot")
        .order_by("market__reference", "lot__number")
    )
    done = {
        row["mission__market"]: row
        for row in HoursRecord.objects.filter(mission__market__organisation=organisation)
        .values("mission__market")
        .annotate(hours=Sum("hours"), participants=Count("mission__participant", distinct=True))
        .order_by()
    }
    by_market: dict[int, ClauseMarket] = {}
    for clause in clauses:
        row = by_market.get(clause.market_id)
        if row is None:
            figures = done.get(clause.market_id, {})
            row = by_market[clause.market_id] = ClauseMarket(
                market=clause.market,
                clauses=[],
                hours_planned=ZERO,
                hours_done=figures.get("hours") or ZERO,
                participants=figures.get("participants") or 0,
            )
        row.clauses.append(clause)
        row.hours_planned += clause.hours_planned
    return list(by_market.values())


@dataclass
class GridRow:
    participant_id: int
    reference: str
    sex: str
    hours: list[Decimal | None]
    total: Decimal


@dataclass
class HoursGrid:
    year: int
    years: list[int]
    months: list[datetime.date]
    rows: list[GridRow] = field(default_factory=list)
    month_totals: list[Decimal] = field(default_factory=list)
    total: Decimal = ZERO

    @property
    def columns(self) -> list[tuple[datetime.date, str]]:
        return [(month, MONTH_ABBREVIATIONS[month.month - 1]) for month in self.months]


def clause_room(*, market: Market, clause: InsertionClause | None = None) -> tuple[bool, QuerySet[Lot]]:
    """Where a market has room for a clause besides `clause` (the one being edited, if any): a market has one clause
    for the whole of it and one per lot. Returns whether the whole market is free, and the lots without a clause."""
    others = market.insertion_clauses.all()
    if clause is not None:
        others = others.exclude(pk=clause.pk)
    taken = set(others.values_list("lot_id", flat=True))
    return None not in taken, market.lots.exclude(pk__in=taken - {None})


def can_add_clause(*, market: Market) -> bool:
    """Whether the market has room for another clause: a market without lots that has its clause has none."""
    whole_market_free, free_lots = clause_room(market=market)
    return whole_market_free or free_lots.exists()


def hours_years(*, market: Market) -> list[int]:
    return sorted({month.year for month in HoursRecord.objects.filter(mission__market=market).dates("month", "year")})


def hours_grid(*, market: Market, year: int | None = None) -> HoursGrid:
    """Hours of a market for one year: a row per participant, a column per month, with totals."""
    years = hours_years(market=market)
    year = year if year in years else (years[-1] if years else datetime.date.today().year)
    months = [datetime.date(year, month, 1) for month in range(1, 13)]
    records = (
        HoursRecord.objects.filter(mission__market=market, month__year=year)
        .values("mission__participant", "mission__participant__reference", "mission__participant__sex", "month")
        .annotate(hours=Sum("hours"))
        .order_by("mission__participant__reference", "month")
    )
    cells: dict[int, dict[datetime.date, Decimal]] = defaultdict(dict)
    people: dict[int, tuple[str, str]] = {}
    for record in records:
        participant = record["mission__participant"]
        people[participant] = (record["mission__participant__reference"], record["mission__participant__sex"])
        cells[participant][record["month"]] = record["hours"]
    grid = HoursGrid(year=year, years=years, months=months)
    month_totals = [ZERO] * 12
    for participant, (reference, sex) in people.items():
        hours = [cells[participant].get(month) for month in months]
        for index, value in enumerate(hours):
            if value:
                month_totals[index] += value
        grid.rows.append(GridRow(participant, reference, sex, hours, sum((h for h in hours if h), ZERO)))
    grid.month_totals = month_totals
    grid.total = sum(month_totals, ZERO)
    return grid


def participants(
    *, organisation: Organisation, search: str = "", sex: str = "", market_id: int | None = None
) -> QuerySet[Participant]:
    queryset = Participant.objects.for_organisation(organisation).not_anonymised()
    if search:
        queryset = matching(queryset, fields=["reference"], text=search)
    if sex:
        queryset = queryset.filter(sex=sex)
    if market_id:
        queryset = queryset.filter(missions__market_id=market_id)
    return (
        queryset.annotate(
            hours_total=Sum("missions__hours__hours"),
            markets_count=Count("missions__market", distinct=True),
        )
        .order_by("reference")
        .distinct()
    )


def missions_with_hours(*, participant: Participant) -> list[Mission]:
    return list(
        participant.missions.select_related("market", "employer")
        .prefetch_related("hours")
        .annotate(hours_total=Sum("hours__hours"))
        .order_by("-start", "pk")
    )


def access_log(*, organisation: Organisation) -> QuerySet[ParticipantAccess]:
    return (
        ParticipantAccess.objects.filter(participant__organisation=organisation)
        .select_related("participant", "user")
        .order_by("-opened_at", "-pk")
    )


def markets_for_clauses(*, organisation: Organisation) -> QuerySet[Market]:
    """Markets a mission may be attached to: those with a clause."""
    return (
        Market.objects.filter(organisation=organisation)
        .filter(Q(insertion_clauses__isnull=False) | Q(insertion_hours_planned__isnull=False))
        .distinct()
        .order_by("reference")
    )
