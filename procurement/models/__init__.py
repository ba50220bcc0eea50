from procurement.models.invitations import Invitation, MembershipEvent
from procurement.models.markets import Lot, Market
from procurement.models.organisations import Membership, Organisation, User
from procurement.models.specifications import SpecificationText, StampedSpecification

__all__ = [
    "Invitation",
    "Lot",
    "Market",
    "Membership",
    "MembershipEvent",
    "Organisation",
    "SpecificationText",
    "StampedSpecification",
    "User",
]
