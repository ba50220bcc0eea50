import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from procurement.models import Lot, Market, Organisation, User


@transaction.atomic
def create_market(*, organisation: Organisation, data: dict[str, Any]) -> Market:
    return Market.objects.create(organisation=organisation, **data)


@transaction.atomic
def update_market(*, market: Market, data: dict[str, Any]) -> Market:
    for name, value in data.items():
        setattr(market, name, value)
    market.save()
    return market


@transaction.atomic
def add_lot(*, market: Market, number: int, title: str, bid_deadline: datetime.datetime | None = None) -> Lot:
    return Lot.objects.create(market=market, number=number, title=title, bid_deadline=bid_deadline)


@transaction.atomic
def delete_lot(*, lot: Lot) -> None:
    lot.delete()


@transaction.atomic
def reopen_annex_link(*, market: Market, by: User) -> Market:
    """Reopens the annex link of a market past its deadline, recorded (when, by whom). It stays open until a deadline
    later than now is set (procurement.selectors.market_is_open)."""
    market.annex_reopened_at = timezone.now()
    market.annex_reopened_by = by
    market.save(update_fields=["annex_reopened_at", "annex_reopened_by", "updated_at"])
    return market
