"""Section C of docs/indicateurs.md: cahiers des charges.

`specifications_with_encart_share` = markets published in the period whose cahier des charges was produced
with the equality encart / markets published in the period.

"Produced with the encart" means: at least one StampedSpecification of the market (every stamped document
carries the encart, and records the version it used), whenever it was stamped. The period bounds
`Market.published_on`, both ends included.
"""

import datetime
from collections.abc import Iterable
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q

from analytics.indicators.base import Indicator, Kind, Section
from analytics.indicators.scope import ids_of
from procurement.models import Market, Organisation, StampedSpecification

SPECIFICATIONS_WITH_ENCART_SHARE = "specifications_with_encart_share"
KEYS = [SPECIFICATIONS_WITH_ENCART_SHARE]
KINDS = {SPECIFICATIONS_WITH_ENCART_SHARE: Kind.SHARE}


def specifications_with_encart_share(
    *,
    organisations: Organisation | Iterable[Organisation],
    start: datetime.date,
    end: datetime.date,
) -> Indicator:
    """One SQL aggregation over the markets of one or several organisations published in [start, end]."""
    stamped = StampedSpecification.objects.with_encart().filter(market=OuterRef("pk"))
    counts = Market.objects.filter(
        organisation__in=ids_of(organisations),
        published_on__gte=start,
        published_on__lte=end,
    ).aggregate(denominator=Count("pk"), numerator=Count("pk", filter=Q(Exists(stamped))))
    numerator, denominator = counts["numerator"], counts["denominator"]
    return Indicator(
        key=SPECIFICATIONS_WITH_ENCART_SHARE,
        section=Section.SPECIFICATIONS,
        kind=Kind.SHARE,
        numerator=numerator,
        denominator=denominator,
        value=Fraction(numerator, denominator) if denominator else None,
    )
