import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from procurement import locks
from procurement.models import Lot, Market, Organisation, User

# The forms say it before saving; the services say it again when another request took the reference (or the lot
# number) between the form's check and the save: a double click, a second tab, a retried API call.
REFERENCE_TAKEN = "Un autre marché de votre organisation porte déjà cette référence."
LOT_NUMBER_TAKEN = "Ce marché a déjà un lot portant ce numéro."


@transaction.atomic
def create_market(*, organisation: Organisation, data: dict[str, Any]) -> Market:
    """Raises ValidationError on `reference` when the organisation already has a market with that reference."""
    market = Market(organisation=organisation, **data)
    _save_unless_reference_taken(market)
    return market


@transaction.atomic
def update_market(*, market: Market, data: dict[str, Any]) -> Market:
    """Raises ValidationError on `reference` when another market of the organisation has the new reference."""
    for name, value in data.items():
        setattr(market, name, value)
    _save_unless_reference_taken(market)
    return market


def _save_unless_reference_taken(market: Market) -> None:
    others = Market.objects.filter(organisation=market.organisation_id, reference=market.reference)
    try:
        with locks.refused_if_taken(others.exclude(pk=market.pk), ValidationError({"reference": REFERENCE_TAKEN})):
            market.save()
    except ValidationError:
        if market.pk is not None:
            market.refresh_from_db()  # the page shown again names the market as it is stored
        raise


@transaction.atomic
def add_lot(*, market: Market, number: int, title: str, bid_deadline: datetime.datetime | None = None) -> Lot:
    """Raises ValidationError on `number` when the market already has a lot with that number."""
    taken = Lot.objects.filter(market=market, number=number)
    with locks.refused_if_taken(taken, ValidationError({"number": LOT_NUMBER_TAKEN})):
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
