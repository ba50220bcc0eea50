import datetime

from django.db import router
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.deletion import Collector

from procurement.models import Lot, Market, Membership, Organisation, StampedSpecification, User


def active_memberships_of(*, user: User) -> list[Membership]:
    return list(Membership.objects.active().filter(user=user).select_related("organisation"))


def markets_of(*, organisation: Organisation) -> QuerySet[Market]:
    return Market.objects.for_organisation(organisation)


def filtered_markets(
    *,
    organisation: Organisation,
    search: str = "",
    market_type: str = "",
    year: int | None = None,
    clause: str = "",
) -> QuerySet[Market]:
    markets = markets_of(organisation=organisation).annotate(
        # One subquery, no N+1: the list shows which markets have a stamped cahier des charges.
        has_stamped_specification=Exists(StampedSpecification.objects.filter(market=OuterRef("pk")))
    )
    if search:
        markets = markets.search(search)
    if market_type:
        markets = markets.filter(market_type=market_type)
    if year:
        markets = markets.published_in_year(year)
    if clause == "oui":
        markets = markets.with_clause()
    elif clause == "non":
        markets = markets.without_clause()
    return markets


def market_years(*, organisation: Organisation) -> list[int]:
    dates = markets_of(organisation=organisation).dates("published_on", "year", order="DESC")
    return [d.year for d in dates]


def market_by_token(*, token: str) -> Market | None:
    return Market.objects.select_related("organisation").filter(candidate_token=token).first()


def market_is_open(*, market: Market, now: datetime.datetime) -> bool:
    """Whether the market's annex link takes answers at `now`: always without a deadline, until the deadline, and
    after it once staff have reopened the link (until a later deadline is set: a deadline after the reopening
    governs again). Lots' own deadlines are shown to staff only."""
    deadline = market.bid_deadline
    if deadline is None or now < deadline:
        return True
    return market.annex_reopened_at is not None and market.annex_reopened_at >= deadline


def lot_deletion_effects(*, lot: Lot) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """What deleting `lot` would do besides, for its confirmation page: ([(what is deleted with it, how many)],
    [(what stays but loses its lot, how many)]), each named by its model's plural. Read from Django's own deletion
    collector, so that the page says what the other apps' relations do without procurement importing them."""
    collector = Collector(using=router.db_for_write(Lot))
    collector.collect([lot])
    counts: dict[str, int] = {}
    for model, objects in collector.data.items():
        if model is not Lot:
            counts[str(model._meta.verbose_name_plural)] = len(objects)
    for queryset in collector.fast_deletes:  # relations deleted in one query, without loading them
        name = str(queryset.model._meta.verbose_name_plural)
        counts[name] = counts.get(name, 0) + queryset.count()
    deleted = [(name, count) for name, count in counts.items() if count]
    detached: dict[str, int] = {}
    for (field, _value), batches in collector.field_updates.items():
        name = str(field.model._meta.verbose_name_plural)
        detached[name] = detached.get(name, 0) + sum(len(batch) for batch in batches)
    return sorted(deleted), sorted((name, count) for name, count in detached.items() if count)
