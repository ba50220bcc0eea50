"""Demo part of the cahiers des charges: default texts for every demo buyer, and stamped documents for a
third of the first buyer's markets (so that the list and the coverage show both cases). Idempotent."""

from procurement.links import market_candidate_url
from procurement.models import Market, Organisation
from procurement.specifications.docx.package import simple_docx
from procurement.specifications.enums import StampingSource
from procurement.specifications.services import ensure_default_texts, stamp_specification


def demo_cahier_des_charges(market: Market) -> bytes:
    paragraphs = [
        (f"Cahier des clauses techniques particulières — marché {market.reference}", True),
        (market.title, False),
        ("Article 1. Objet du marché", True),
        (f"Le présent cahier des charges a pour objet : {market.title.lower()}.", False),
        ("Article 2. Pièces contractuelles", True),
        (
            "Les pièces contractuelles sont, par ordre de priorité décroissante, l'acte d'engagement, le présent "
            "cahier et le bordereau des prix.",
            False,
        ),
        ("[[ENCART_EGALITE]]", False),
        ("Article 3. Délais d'exécution", True),
        ("Les délais courent à compter de la notification de l'ordre de service de démarrage.", False),
    ]
    return simple_docx(paragraphs)


def seed(*, organisations: list[Organisation], stamped_organisation: Organisation) -> None:
    for organisation in organisations:
        ensure_default_texts(organisation=organisation)
    markets = Market.objects.for_organisation(stamped_organisation).order_by("reference")
    for index, market in enumerate(markets.select_related("organisation")):
        if index % 3 or market.stamped_specifications.exists():
            continue
        stamp_specification(
            market=market,
            content=demo_cahier_des_charges(market),
            filename=f"cctp-{market.reference}.docx",
            annex_url=market_candidate_url(market),
            user=None,
            source=StampingSource.COMMAND,
        )
