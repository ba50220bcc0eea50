"""What a market's fiche de renseignements shows besides the paper wording."""

from dataclasses import dataclass, fields

from procurement.documents import organisation_logo
from procurement.models import Market, Organisation
from procurement.specifications.enums import SpecificationTextKind
from procurement.specifications.selectors import latest_validated_text


@dataclass(frozen=True)
class FicheContext:
    organisation_name: str
    market_reference: str
    market_title: str
    annex_url: str
    encart_title: str
    encart_body: str
    organisation_logo: bytes = b""  # PNG or JPEG; empty when the buyer has none

    def inputs(self) -> list[str | bytes]:
        """Everything the fiche shows of this market and buyer: what its cached renderings are keyed by."""
        return [getattr(self, field.name) for field in fields(self)]


def fiche_context(*, organisation: Organisation, market: Market, annex_url: str) -> FicheContext:
    """The market, its annex link and the buyer's validated encart: never a text nobody reviewed (the default
    one holds « [À COMPLÉTER : …] »), so without a validated version the fiche has no encart (empty title and
    body)."""
    encart = latest_validated_text(organisation=organisation, kind=SpecificationTextKind.ENCART)
    title, body = (encart.title, encart.body) if encart is not None else ("", "")
    return FicheContext(
        organisation_name=organisation.name,
        market_reference=market.reference,
        market_title=market.title,
        annex_url=annex_url,
        encart_title=title,
        encart_body=body,
        organisation_logo=organisation_logo(organisation),
    )
