from procurement.models.awards import DecpImport, MarketAward, MarketHistoryEntry, MarketHolder
from procurement.models.invitations import Invitation, MembershipEvent
from procurement.models.legal import LegalDetails
from procurement.models.markets import Lot, Market
from procurement.models.organisations import Membership, Organisation, User
from procurement.models.second_factor import SecondFactorDevice
from procurement.models.specifications import SpecificationText, StampedSpecification

__all__ = [
    "DecpImport",
    "MarketAward",
    "MarketHistoryEntry",
    "MarketHolder",
    "Invitation",
    "LegalDetails",
    "Lot",
    "Market",
    "Membership",
    "MembershipEvent",
    "Organisation",
    "SecondFactorDevice",
    "SpecificationText",
    "StampedSpecification",
    "User",
]
