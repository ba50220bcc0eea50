"""The readers of uploaded documents as fuzz targets (registered in tests/fuzz/targets.py, beside the imports):
their seed files and what they check beyond the shared oracle.

Each run function returns on success and lets its declared refusal through (the oracle of `Target.check` then
wants French text), after checking the refusal's typography; it raises `FuzzFailure` when an accepted document is
wrong (a stamped document that is not a well-formed package or that the platform would refuse to open again, an
attachment accepted with the wrong type). Used by `tests/fuzz/test_stamping_fuzz.py`,
`tests/fuzz/test_attachments_fuzz.py` and the long runs of `tools/fuzz.py` (Django must be set up).
"""

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DOCX_SEEDS = CORPUS / "docx" / "public"
ATTACHMENT_SEEDS = CORPUS / "attachments"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)
# « : » after an ordinary space, or « » with an ordinary space inside: French typography wants a no-break space.
_BAD_TYPOGRAPHY = re.compile(r" [:;?!»]|« ")
# What a refusal quotes (a part name, a target) comes from the file: it is not checked for typography.
_QUOTED = re.compile(r"«\u00a0.*?\u00a0»")


class FuzzFailure(AssertionError):
    """A case the reader did not handle: what went wrong (`Target.check` adds how to reproduce it)."""


def _normalised_zip(data: bytes) -> bytes:
    """A zip written again with fixed dates, so that a document built by a test is the same at every run."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_DATE), source.read(info))
    return buffer.getvalue()


# --- Stamping ----------------------------------------------------------------------------------------------------


def stamping_seeds() -> list:
    """The public documents of `tests/corpus/docx/public/` and documents the stamping tests build."""
    from tests.fuzz.targets import Seed
    from tests.procurement.specifications import cctp, documents

    seeds = {path.name: path.read_bytes() for path in sorted(DOCX_SEEDS.glob("*.docx"))}
    for builder in (
        documents.complete_cctp,
        documents.with_placeholder_in_table_and_hyperlink,
        documents.auto_numbered,
        documents.placeholder_ends_section,
        cctp.styled_articles,
        cctp.general_provisions_chapters,
        cctp.word_numbered_headings,
    ):
        seeds[f"built-{builder.__name__}.docx"] = _normalised_zip(builder())
    return [Seed(name=name, data=data, kind="docx", filename=name) for name, data in seeds.items()]


def _check_message(message: str, what: str) -> None:
    if not message or not message.strip():
        raise FuzzFailure(f"{what} sans texte")
    unquoted = _QUOTED.sub("«\u00a0…\u00a0»", message)
    if _BAD_TYPOGRAPHY.search(unquoted):
        raise FuzzFailure(f"{what} sans espace insécable : {message!r}")


def run_stamping(seed, data: bytes, world=None) -> None:
    """`stamp_docx` on `data`, the result checked; a refusal goes through, its typography checked. An accepted document
    is also stamped at the places a buyer may pick in the preview (`Placement`): the encart after its last heading,
    the base-vie article in its first one."""
    from procurement.specifications.docx.safety import UnsafeDocument, open_docx
    from procurement.specifications.docx.stamping import Placement, document_outline, stamp_docx, stamp_package
    from tests.procurement.specifications.helpers import ANNEX_QR_PNG, texts

    stamp_texts = texts(base_vie=True)
    try:
        result = stamp_docx(data, filename="cahier.docx", texts=stamp_texts, qr_code_png=ANNEX_QR_PNG)
    except UnsafeDocument as refusal:
        _check_message(refusal.message, f"refus {refusal.code!r}")
        raise
    _check_stamped(result.content, encart_title=stamp_texts.encart_title, base_vie_heading=result.base_vie_heading)
    try:
        headings = document_outline(open_docx(data, filename="cahier.docx"))
        if not headings:
            return
        placement = Placement(encart_after=headings[-1].index, base_vie_in=headings[0].index)
        placed = stamp_package(
            open_docx(data, filename="cahier.docx"), texts=stamp_texts, qr_code_png=ANNEX_QR_PNG, placement=placement
        )
    except Exception as error:
        raise FuzzFailure(f"placement choisi dans l'aperçu : {type(error).__name__} : {error}") from error
    _check_stamped(placed.content, encart_title=stamp_texts.encart_title, base_vie_heading=placed.base_vie_heading)


def _check_stamped(content: bytes, *, encart_title: str, base_vie_heading: str) -> None:
    """A stamped document is a zip whose XML parts are well formed, that the platform opens again and outlines."""
    from procurement.specifications.docx import ooxml
    from procurement.specifications.docx.safety import UnsafeDocument, open_docx
    from procurement.specifications.docx.stamping import outline_of_stamped

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            damaged = archive.testzip()
            if damaged is not None:
                raise FuzzFailure(f"document complété : élément {damaged!r} endommagé")
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels")):
                    try:
                        etree.fromstring(archive.read(info), ooxml.safe_parser())
                    except etree.XMLSyntaxError as error:
                        raise FuzzFailure(f"document complété : {info.filename} mal formé ({error})") from error
        reopened = open_docx(content, filename="cahier.docx")
        outline_of_stamped(reopened, encart_title=encart_title, base_vie_heading=base_vie_heading)
    except FuzzFailure:
        raise
    except UnsafeDocument as refusal:
        raise FuzzFailure(f"document complété refusé à la relecture : {refusal.code} ({refusal.message})") from None
    except Exception as error:
        raise FuzzFailure(f"document complété illisible : {type(error).__name__} : {error}") from error


# --- Annex attachments -------------------------------------------------------------------------------------------


def attachment_seeds() -> list:
    from tests.fuzz.targets import Seed

    return [
        Seed(name=path.name, data=path.read_bytes(), kind=_attachment_kind(path.name), filename=path.name)
        for path in sorted(ATTACHMENT_SEEDS.iterdir())
        if path.suffix != ".md"
    ]


def _attachment_kind(seed_name: str) -> str:
    """Which mutations of `document_cases` apply: OOXML-aware, zip containers, or header-aware bytes."""
    suffix = Path(seed_name).suffix.lower()
    if suffix in {".docx", ".xlsx"}:
        return "docx"
    if suffix in {".odt", ".ods", ".odp"}:
        return "zip"
    return "bytes"


def run_attachment(seed, data: bytes, world=None) -> None:
    """`check_upload` on `data` joined under the seed's name, an accepted file checked; a refusal goes through, its
    typography checked."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from questionnaire.services.attachments import ACCEPTED_LABELS, check_upload, sniff_content_type

    upload = SimpleUploadedFile(seed.filename, data)
    try:
        sniffed = sniff_content_type(upload)
        checked = check_upload(upload)
    except ValidationError as refusal:
        for message in refusal.messages:
            _check_message(message, "refus")
        raise
    if checked.content_type not in ACCEPTED_LABELS or checked.size != len(data):
        raise FuzzFailure(f"fichier accepté avec un type ou une taille faux : {checked}")
    if sniffed != checked.content_type:
        raise FuzzFailure(f"sniff_content_type ({sniffed}) et check_upload ({checked.content_type}) divergent")
    if upload.tell() != 0:
        raise FuzzFailure("le fichier n'est pas rembobiné après la vérification")
