"""The readers of uploaded documents under fuzzing, their seed files and their oracle.

A reader passes a case when it returns a result or raises its declared refusal with a French sentence; anything
else (another exception, a refusal without text, a stamped document that is not a well-formed package or that
the platform would refuse to open again) is a `FuzzFailure`. Used by `tests/fuzz/test_stamping_fuzz.py`,
`tests/fuzz/test_attachments_fuzz.py` and the long runs of `scripts/fuzz_documents.py` (Django must be set up).
"""

import io
import re
import time
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tests.fuzz.document_mutations import document_cases
from tests.fuzz.mutate import Case

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DOCX_SEEDS = CORPUS / "docx" / "public"
ATTACHMENT_SEEDS = CORPUS / "attachments"
ZIP_DATE = (2026, 1, 1, 0, 0, 0)
# « : » after an ordinary space, or « » with an ordinary space inside: French typography wants a no-break space.
_BAD_TYPOGRAPHY = re.compile(r" [:;?!»]|« ")
# What a refusal quotes (a part name, a target) comes from the file: it is not checked for typography.
_QUOTED = re.compile(r"«\u00a0.*?\u00a0»")


class FuzzFailure(AssertionError):
    """A case the reader did not handle: what went wrong, and how to reproduce it."""


@dataclass(frozen=True)
class Outcome:
    accepted: bool
    seconds: float


@dataclass(frozen=True)
class Target:
    name: str
    seeds: Callable[[], dict[str, bytes]]
    run: Callable[[bytes, str], bool]  # (mutated bytes, seed name) → accepted; raises FuzzFailure
    kind_of: Callable[[str], str]  # seed name → the kind of mutations (`document_cases`)


def _normalised_zip(data: bytes) -> bytes:
    """A zip written again with fixed dates, so that a document built by a test is the same at every run."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_DATE), source.read(info))
    return buffer.getvalue()


# --- Stamping ----------------------------------------------------------------------------------------------------


def stamping_seeds() -> dict[str, bytes]:
    """The public documents of `tests/corpus/docx/public/` and documents the stamping tests build."""
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
    return seeds


def _check_message(message: str, what: str) -> None:
    if not message or not message.strip():
        raise FuzzFailure(f"{what} sans texte")
    unquoted = _QUOTED.sub("«\u00a0…\u00a0»", message)
    if _BAD_TYPOGRAPHY.search(unquoted):
        raise FuzzFailure(f"{what} sans espace insécable : {message!r}")


def run_stamping(data: bytes, seed_name: str = "") -> bool:
    """`stamp_docx` on `data`: True when stamped (and the result checked), False when refused. An accepted document is
    also stamped at the places a buyer may pick in the preview (`Placement`): the encart after its last heading, the
    base-vie article in its first one."""
    from procurement.specifications.docx.safety import UnsafeDocument, open_docx
    from procurement.specifications.docx.stamping import Placement, document_outline, stamp_docx, stamp_package
    from tests.procurement.specifications.helpers import ANNEX_QR_PNG, texts

    stamp_texts = texts(base_vie=True)
    try:
        result = stamp_docx(data, filename="cahier.docx", texts=stamp_texts, qr_code_png=ANNEX_QR_PNG)
    except UnsafeDocument as refusal:
        _check_message(refusal.message, f"refus {refusal.code!r}")
        return False
    except Exception as error:
        raise FuzzFailure(f"{type(error).__name__} : {error}") from error
    _check_stamped(result.content, encart_title=stamp_texts.encart_title, base_vie_heading=result.base_vie_heading)
    try:
        headings = document_outline(open_docx(data, filename="cahier.docx"))
        if not headings:
            return True
        placement = Placement(encart_after=headings[-1].index, base_vie_in=headings[0].index)
        placed = stamp_package(
            open_docx(data, filename="cahier.docx"), texts=stamp_texts, qr_code_png=ANNEX_QR_PNG, placement=placement
        )
    except Exception as error:
        raise FuzzFailure(f"placement choisi dans l'aperçu : {type(error).__name__} : {error}") from error
    _check_stamped(placed.content, encart_title=stamp_texts.encart_title, base_vie_heading=placed.base_vie_heading)
    return True


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


def attachment_seeds() -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(ATTACHMENT_SEEDS.iterdir()) if path.suffix != ".md"}


def attachment_kind(seed_name: str) -> str:
    suffix = Path(seed_name).suffix.lower()
    if suffix in {".docx", ".xlsx"}:
        return "docx"
    if suffix in {".odt", ".ods", ".odp"}:
        return "zip"
    return "bytes"


def run_attachment(data: bytes, seed_name: str = "fichier") -> bool:
    """`check_upload` on `data` joined under the seed's name: True when accepted, False when refused."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from questionnaire.services.attachments import ACCEPTED_LABELS, check_upload, sniff_content_type

    upload = SimpleUploadedFile(seed_name, data)
    try:
        sniffed = sniff_content_type(upload)
        checked = check_upload(upload)
    except ValidationError as refusal:
        for message in refusal.messages:
            _check_message(message, "refus")
        return False
    except Exception as error:
        raise FuzzFailure(f"{type(error).__name__} : {error}") from error
    if checked.content_type not in ACCEPTED_LABELS or checked.size != len(data):
        raise FuzzFailure(f"fichier accepté avec un type ou une taille faux : {checked}")
    if sniffed != checked.content_type:
        raise FuzzFailure(f"sniff_content_type ({sniffed}) et check_upload ({checked.content_type}) divergent")
    if upload.tell() != 0:
        raise FuzzFailure("le fichier n'est pas rembobiné après la vérification")
    return True


TARGETS = {
    "stamping": Target("stamping", stamping_seeds, run_stamping, lambda _: "docx"),
    "attachments": Target("attachments", attachment_seeds, run_attachment, attachment_kind),
}


def run_case(target: Target, seed_name: str, case: Case) -> Outcome:
    """One case, timed; a FuzzFailure names the seed and the case."""
    start = time.perf_counter()
    try:
        accepted = target.run(case.data, seed_name)
    except FuzzFailure as failure:
        raise FuzzFailure(f"{target.name}, {seed_name}, {case.mutation} : {failure}") from failure.__cause__
    return Outcome(accepted=accepted, seconds=time.perf_counter() - start)


def target_cases(target: Target, seed_name: str, seed: bytes, *, count: int, rng_seed: int) -> Iterator[Case]:
    return document_cases(seed, count=count, rng_seed=rng_seed, kind=target.kind_of(seed_name))
