from django.db.models import QuerySet

from procurement.awards.enums import FieldSource
from procurement.awards.services import FILLED_FIELDS
from procurement.models import DecpImport, Market, MarketAward, MarketHistoryEntry, MarketHolder, Organisation


def decp_imports(*, organisation: Organisation) -> QuerySet[DecpImport]:
    return DecpImport.objects.filter(organisation=organisation).select_related("imported_by")


def field_sources(*, market: Market) -> dict[str, str]:
    """For each field the DECP may fill: FieldSource.DECP when the DECP filled it, else STAFF."""
    award = MarketAward.objects.filter(market=market).only("filled_fields").first()
    filled = set(award.filled_fields) if award is not None else set()
    return {name: FieldSource.DECP if name in filled else FieldSource.STAFF for name in FILLED_FIELDS}


def market_holders(*, market: Market) -> QuerySet[MarketHolder]:
    return market.holders.all().order_by("role", "-is_current", "name", "identifier")


def market_history(*, market: Market) -> QuerySet[MarketHistoryEntry]:
    return market.history.select_related("decp_import")


def award_of(*, market: Market) -> MarketAward | None:
    return MarketAward.objects.filter(market=market).select_related("last_import").first()


# The market's fields that describe its award (the page's « Attribution » list).
AWARD_FIELDS = ("notified_on", "awarded_amount", "duration_months", "execution_place", "social_considerations")


def is_award_known(*, market: Market, award: MarketAward | None, holders) -> bool:
    """Whether anything is known of the market's award: its DECP record, a titulaire or one of AWARD_FIELDS. Until
    then the page says where the award comes from instead of listing empty fields."""
    return award is not None or bool(holders) or any(getattr(market, name) not in (None, "") for name in AWARD_FIELDS)


def decp_filled_labels(*, award: MarketAward | None) -> list[str]:
    """The labels of the market's fields the DECP filled, in the page's order."""
    if award is None:
        return []
    return [str(Market._meta.get_field(name).verbose_name) for name in FILLED_FIELDS if name in award.filled_fields]
