from typing import Any

from django.db import transaction

from procurement.models import Lot, Market, Organisation


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
def add_lot(*, market: Market, number: int, title: str) -> Lot:
    return Lot.objects.create(market=market, number=number, title=title)


@transaction.atomic
def delete_lot(*, lot: Lot) -> None:
    lot.delete()
