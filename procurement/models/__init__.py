from procurement.models.markets import Lot, Market
from procurement.models.organisations import Membership, Organisation, User
from procurement.models.specifications import SpecificationText, StampedSpecification

__all__ = ["Lot", "Market", "Membership", "Organisation", "SpecificationText", "StampedSpecification", "User"]
