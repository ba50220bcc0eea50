from procurement.models.markets import Lot, Market
from procurement.models.organisations import Membership, Organisation, User

__all__ = ["Lot", "Market", "Membership", "Organisation", "User"]
