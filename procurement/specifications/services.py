"""Writes of the cahiers des charges: text versions and stamped documents (the page and the command share them)."""

import datetime
import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from procurement.links import qr_png
from procurement.models import Market, Organisation, SpecificationText, StampedSpecification, User
from procurement.specifications import selectors
from procurement.specifications.docx.safety import MAX_UPLOAD_BYTES, UnsafeDocument, open_docx
from procurement.specifications.docx.stamping import Placement, StampResult, StampTexts, stamp_package
from procurement.specifications.enums import SpecificationTextKind, StampingSource
from procurement.specifications.texts import has_placeholder
from procurement.storage import delete_files_on_commit


class TextNotValidated(Exception):
    """Stamping refused: the encart in force was not reviewed, or the base-vie article a works market receives still
    holds a « [À COMPLÉTER : …] ». `message` is French and says what to do; the page and the command add the link
    (or the address) of the texts' page, under `link_label`."""

    def __init__(self, message: str, *, link_label: str = "Relire et valider l'encart égalité"):
        super().__init__(message)
        self.message, self.link_label = message, link_label


class TextNotReady(Exception):
    """Validation refused: the text is not the current version, or still holds a « [À COMPLÉTER : …] »."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@transaction.atomic
def save_text_version(
    *, organisation: Organisation, kind: str, title: str, body: str, user: User | None
) -> SpecificationText:
    """Adds a version when the text changed; the current version is returned as is otherwise."""
    # Lock the organisation row: two editors saving at once get versions n+1 and n+2, not a clash.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    current = selectors.current_text(organisation=organisation, kind=kind)
    title, body = title.strip(), body.strip().replace("\r\n", "\n")
    if current is not None and current.title == title and current.body == body:
        return current
    version = current.version + 1 if current is not None else 1
    return SpecificationText.objects.create(
        organisation=organisation, kind=kind, version=version, title=title, body=body, created_by=user
    )


@transaction.atomic
def current_text_or_default(*, organisation: Organisation, kind: str) -> SpecificationText:
    """The current version; a buyer who never edited it gets version 1 = the default text."""
    current = selectors.current_text(organisation=organisation, kind=kind)
    if current is not None:
        return current
    title, body = selectors.default_title_and_body(organisation=organisation, kind=kind)
    return save_text_version(organisation=organisation, kind=kind, title=title, body=body, user=None)


@transaction.atomic
def validate_text_version(*, text: SpecificationText, user: User | None) -> SpecificationText:
    """Records that `user` reviewed this version (who, when; the version is the record itself).

    Only the current version may be validated (a page left open on an older one is refused), and never a text that
    still holds a placeholder. Validating an already validated version keeps the first validation.
    """
    Organisation.objects.select_for_update().filter(pk=text.organisation_id).first()
    current = selectors.current_text(organisation=text.organisation, kind=text.kind)
    if current is None or current.pk != text.pk:
        raise TextNotReady(
            f"La version {text.version} n'est plus celle en vigueur\u00a0: relisez la version "
            f"{current.version if current else 1} puis validez-la."
        )
    if has_placeholder(text.title, text.body):
        raise TextNotReady(
            "Ce texte contient encore une mention «\u00a0[À COMPLÉTER\u00a0: …]\u00a0»\u00a0: remplacez-la par les "
            "informations de votre organisation (ou supprimez-la), enregistrez, puis validez le texte."
        )
    if current.validated_at is None:
        current.validated_at = timezone.now()
        current.validated_by = user
        current.save(update_fields=["validated_at", "validated_by"])
    return current


def ensure_default_texts(*, organisation: Organisation) -> None:
    """Demo and new buyers: both texts exist (version 1 = default) so that pages show them."""
    for kind in SpecificationTextKind.values:
        current_text_or_default(organisation=organisation, kind=kind)


def stamp_specification(
    *,
    market: Market,
    content: bytes,
    filename: str,
    annex_url: str,
    user: User | None,
    source: str = StampingSource.WEB,
) -> StampedSpecification:
    """Checks and stamps the file, stores the result and records it; refuses with `UnsafeDocument`, or with
    `TextNotValidated` while the encart in force has not been validated, or while the base-vie article the market
    receives still holds a placeholder (it needs no validation, but must not reach a document half written).

    The record's `warnings` say what the user should know about an accepted file (a voided signature).

    A refused file leaves nothing behind: the checks and the stamping run in memory before anything is
    written, and a failure while recording deletes the stored file. (Called inside a caller's transaction
    that later rolls back, the file would stay in storage, unreferenced: no caller does that.)
    """
    if len(content) > MAX_UPLOAD_BYTES:
        raise UnsafeDocument(
            "upload_too_large",
            "Ce fichier dépasse 20\u00a0Mo\u00a0: allégez le document (images compressées, annexes à part) "
            "puis déposez-le à nouveau.",
        )
    package = open_docx(content, filename=filename)  # refuses hostile files before any write
    organisation = market.organisation
    with transaction.atomic():
        encart = current_text_or_default(organisation=organisation, kind=SpecificationTextKind.ENCART)
        if not encart.is_validated:
            raise TextNotValidated(
                f"L'encart égalité (version {encart.version}) n'a pas encore été validé\u00a0: un·e "
                "administrateur·rice "
                "ou un·e chargé·e de mission égalité doit le relire, le compléter puis cliquer sur «\u00a0Valider ce "
                "texte\u00a0» avant qu'il soit inséré dans les cahiers des charges."
            )
        base_vie = (
            current_text_or_default(organisation=organisation, kind=SpecificationTextKind.BASE_VIE)
            if market.is_works_with_base_vie
            else None
        )
        if base_vie is not None and has_placeholder(base_vie.title, base_vie.body):
            raise TextNotValidated(
                f"L'article sur les installations sanitaires de la base vie (version {base_vie.version}) contient "
                "encore une mention «\u00a0[À COMPLÉTER\u00a0: …]\u00a0»\u00a0: un·e administrateur·rice ou un·e "
                "chargé·e de mission égalité doit la remplacer par le texte voulu avant qu'il soit inséré dans les "
                "cahiers des charges des marchés de travaux avec base vie.",
                link_label="Compléter l'article base vie",
            )
        result = stamp_package(
            package,
            texts=_texts(market=market, encart=encart, base_vie=base_vie, annex_url=annex_url),
            qr_code_png=qr_png(annex_url),
        )
        record = StampedSpecification(
            market=market,
            encart_text=encart,
            base_vie_text=base_vie,
            source_name=_display_name(filename),
            source_sha256=hashlib.sha256(content).hexdigest(),
            source=source,
            created_by=user,
        )
        _record_result(record, result)
        record.output.save("cahier-des-charges.docx", ContentFile(result.content), save=False)
        record.source_file.save("cahier-des-charges-depose.docx", ContentFile(content), save=False)
        try:
            record.save()
        except Exception:
            record.output.storage.delete(record.output.name)
            record.source_file.storage.delete(record.source_file.name)
            raise
    record.warnings = result.warnings
    return record


def move_stamped_texts(
    *, record: StampedSpecification, encart_after: int | None, base_vie_in: int | None, annex_url: str
) -> StampedSpecification:
    """Stamps the kept upload again with the texts under the headings the buyer picked on the preview (the
    block indexes of `selectors.source_outline`), with the same text versions; the record's file is replaced."""
    missing = UnsafeDocument(
        "source_missing",
        "Le fichier déposé n'est plus disponible\u00a0: déposez à nouveau le cahier des charges pour choisir "
        "l'emplacement des textes.",
    )
    if not record.source_file:
        raise missing
    try:
        with record.source_file.open("rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise missing from None  # purged meanwhile (`forget_uploads`)
    package = open_docx(content, filename="cahier.docx")
    result = stamp_package(
        package,
        texts=_texts(
            market=record.market, encart=record.encart_text, base_vie=record.base_vie_text, annex_url=annex_url
        ),
        qr_code_png=qr_png(annex_url),
        placement=Placement(encart_after=encart_after, base_vie_in=base_vie_in),
    )
    storage = record.output.storage
    with transaction.atomic():
        # One move at a time per document: the file replaced is the one the row names now, so that two moves at
        # once leave no stamped file behind that no row names.
        previous = StampedSpecification.objects.select_for_update().values_list("output", flat=True).get(pk=record.pk)
        _record_result(record, result)
        record.encart_after, record.base_vie_in = encart_after, base_vie_in
        record.output.save("cahier-des-charges.docx", ContentFile(result.content), save=False)
        try:
            record.save()
        except Exception:
            storage.delete(record.output.name)
            raise
        delete_files_on_commit(storage, [previous])
    return record


def forget_uploads(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Deletes the kept copies of the files uploaded more than STAMPED_UPLOAD_RETENTION_DAYS ago (the stamped
    documents stay; their preview then asks for the file again to move the texts). Returns how many."""
    limit = (now or timezone.now()) - datetime.timedelta(days=settings.STAMPED_UPLOAD_RETENTION_DAYS)
    records = StampedSpecification.objects.filter(created_at__lt=limit).exclude(source_file="")
    if dry_run:
        return records.count()
    with transaction.atomic():
        kept = dict(records.select_for_update().values_list("pk", "source_file"))
        StampedSpecification.objects.filter(pk__in=kept).update(source_file="")
        # Files go only once the rows no longer name them.
        delete_files_on_commit(StampedSpecification._meta.get_field("source_file").storage, kept.values())
    return len(kept)


def _texts(
    *, market: Market, encart: SpecificationText, base_vie: SpecificationText | None, annex_url: str
) -> StampTexts:
    return StampTexts(
        encart_title=encart.title,
        encart_body=encart.body,
        annex_url=annex_url,
        market_reference=market.reference,
        base_vie_title=base_vie.title if base_vie else "",
        base_vie_body=base_vie.body if base_vie else "",
    )


def _record_result(record: StampedSpecification, result: StampResult) -> None:
    record.output_sha256 = hashlib.sha256(result.content).hexdigest()
    record.output_size = len(result.content)
    record.encart_at_placeholder = result.encart_at_placeholder
    record.base_vie_heading = result.base_vie_heading[:300]
    record.encart_section = result.encart_section[:300]
    record.base_vie_section = result.base_vie_section[:300]


def _display_name(filename: str) -> str:
    name = filename.replace("\\", "/").rsplit("/", 1)[-1].strip() or "cahier-des-charges.docx"
    return name[:255]
