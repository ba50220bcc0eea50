"""What a market's fiche de renseignements shows besides the paper wording."""

from dataclasses import dataclass

from procurement.models import Market, Organisation
from procurement.specifications.enums import SpecificationTextKind
from procurement.specifications.selectors import current_or_default_title_and_body


@dataclass(frozen=True)
class FicheContext:
    organisation_name: str
    market_reference: str
    market_title: str
    annex_url: str
    encart_title: str
    encart_body: str


def fiche_context(*, organisation: Organisation, market: Market, annex_url: str) -> FicheContext:
    """The market, its annex link and the buyer's current encart (or the default one, nothing written)."""
    title, body = current_or_default_title_and_body(organisation=organisation, kind=SpecificationTextKind.ENCART)
    return FicheContext(
        organisation_name=organisation.name,
        market_reference=market.reference,
        market_title=market.title,
        annex_url=annex_url,
        encart_title=title,
        encart_body=body,
    )
