"""Reads of the cahiers des charges: current texts, their versions, stamped documents."""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from procurement.models import Market, Organisation, SpecificationText, StampedSpecification
from procurement.specifications import texts as defaults
from procurement.specifications.docx import stamping
from procurement.specifications.docx.safety import UnsafeDocument, open_docx
from procurement.specifications.docx.stamping import OutlineLine, SourceOutline, outline_of_stamped
from procurement.specifications.enums import SpecificationTextKind

KIND_SLUGS = {"encart": SpecificationTextKind.ENCART, "base-vie": SpecificationTextKind.BASE_VIE}
SLUG_OF_KIND = {kind: slug for slug, kind in KIND_SLUGS.items()}


def text_versions(*, organisation: Organisation, kind: str) -> QuerySet[SpecificationText]:
    return (
        SpecificationText.objects.for_organisation(organisation)
        .of_kind(kind)
        .select_related("created_by")
        .order_by("-version")
    )


def current_text(*, organisation: Organisation, kind: str) -> SpecificationText | None:
    """The latest version (the highest number), None when the buyer never saved this text."""
    return text_versions(organisation=organisation, kind=kind).first()


def latest_validated_text(*, organisation: Organisation, kind: str) -> SpecificationText | None:
    """The most recent version someone validated (the current one, or an older one while a newer version awaits
    its review); None when no version was ever validated."""
    return text_versions(organisation=organisation, kind=kind).validated().first()


def default_title_and_body(*, organisation: Organisation, kind: str) -> tuple[str, str]:
    """The text a buyer starts from, before any version of its own."""
    if kind == SpecificationTextKind.ENCART:
        return defaults.default_encart(name=organisation.name, article=organisation.article)
    return defaults.default_base_vie()


def current_or_default_title_and_body(*, organisation: Organisation, kind: str) -> tuple[str, str]:
    """What the edit form and the fiche start from: the current version, else the default text (nothing is
    written)."""
    current = current_text(organisation=organisation, kind=kind)
    if current is not None:
        return current.title, current.body
    return default_title_and_body(organisation=organisation, kind=kind)


def stamped_specifications_of(*, market: Market) -> QuerySet[StampedSpecification]:
    return market.stamped_specifications.select_related("encart_text", "base_vie_text", "created_by")


def recent_stamped_specifications(*, organisation: Organisation, limit: int = 15) -> list[StampedSpecification]:
    return list(
        StampedSpecification.objects.for_organisation(organisation)
        .select_related("market", "encart_text", "base_vie_text", "created_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def coverage_counts(*, organisation: Organisation, year: int) -> dict[str, int]:
    """Markets published in `year`, and how many of them have a stamped cahier des charges (one query)."""
    stamped = StampedSpecification.objects.filter(market=OuterRef("pk"))
    return (
        Market.objects.for_organisation(organisation)
        .published_in_year(year)
        .aggregate(markets=Count("pk"), stamped=Count("pk", filter=Q(Exists(stamped))))
    )


def placement_sentence(*, record: StampedSpecification) -> str:
    """Where the encart went, as the end of a French sentence ("inséré …")."""
    if record.encart_at_placeholder:
        return "à la place du repère [[ENCART_EGALITE]]"
    if record.encart_section:
        return f"à la fin de la section «\u00a0{record.encart_section}\u00a0»"
    return "à la fin du document, avant le bloc de signature s'il y en a un"


def stamped_outline(*, record: StampedSpecification) -> tuple[OutlineLine, ...]:
    """The headings of the stamped document, the inserted ones marked; empty when its file is gone."""
    try:
        with record.output.open("rb") as handle:
            package = open_docx(handle.read(), filename="cahier.docx", stamped=True)
    except (FileNotFoundError, ValueError, UnsafeDocument):
        return ()
    return outline_of_stamped(package, encart_title=record.encart_text.title, base_vie_heading=record.base_vie_heading)


def source_outline(*, record: StampedSpecification) -> SourceOutline | None:
    """The headings of the uploaded document, which the buyer may pick to move the texts, and its closing block;
    None when the upload is no longer kept (`services.forget_uploads`, or stamped before the preview)."""
    if not record.source_file:
        return None
    try:
        with record.source_file.open("rb") as handle:
            return stamping.source_outline(open_docx(handle.read(), filename="cahier.docx"))
    except (FileNotFoundError, ValueError, UnsafeDocument):
        return None
