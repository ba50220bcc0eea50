"""Demo part of the cahiers des charges: for every demo buyer, an encart completed as a buyer would (its
commitments in place of the « [À COMPLÉTER : …] » of the default text) and validated, the default base-vie
article, and stamped documents for a third of the first buyer's markets (so that the list and the coverage show
both cases). Idempotent."""

from procurement.links import market_candidate_url
from procurement.models import Market, Organisation
from procurement.specifications import selectors
from procurement.specifications.docx.package import simple_docx
from procurement.specifications.enums import SpecificationTextKind, StampingSource
from procurement.specifications.services import (
    ensure_default_texts,
    save_text_version,
    stamp_specification,
    validate_text_version,
)
from procurement.specifications.texts import PLACEHOLDER

DEMO_COMMITMENTS = (
    "Signataire de la **Charte européenne pour l'égalité des femmes et des hommes dans la vie locale**, "
    "{organisation} a adopté un **plan d'actions pour l'égalité entre les femmes et les hommes** qui concerne "
    "l'ensemble de ses politiques publiques, dont la commande publique."
)


def complete_demo_encart(organisation: Organisation) -> None:
    """The buyer's review, as a demo: its commitments in place of the placeholder, then « Valider ce texte »."""
    kind = SpecificationTextKind.ENCART
    encart = selectors.current_text(organisation=organisation, kind=kind)
    if encart is not None and encart.is_validated:
        return
    title, body = selectors.default_title_and_body(organisation=organisation, kind=kind)
    commitments = DEMO_COMMITMENTS.format(organisation=organisation.name_subject)
    title = PLACEHOLDER.sub("", title).strip()
    body = PLACEHOLDER.sub("", PLACEHOLDER.sub(commitments, body, count=1))
    encart = save_text_version(
        organisation=organisation, kind=SpecificationTextKind.ENCART, title=title, body=body, user=None
    )
    validate_text_version(text=encart, user=None)


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
        complete_demo_encart(organisation)
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
