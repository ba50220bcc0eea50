"""Files joined to the annex: the type is read from the content (magic bytes), never from the name.

A ".exe" renamed ".pdf" starts with "MZ", not "%PDF-": it is refused. Zip-based formats (DOCX, XLSX, ODT, ODS) are
recognised by their `mimetype` entry, or by the content type of the part their `_rels/.rels` names as the main
document, read with a size cap (no zip bomb). A document holding macros is refused: an OOXML one of a macro-enabled
type (DOCM, XLSM…: its own reason, in `check_upload`) or with a VBA project beside a main part of an accepted type (a
forgery), an OpenDocument one with a Basic library or scripts (its own reason). A file is served back under a name
whose extension is that of its type (`download_name`), so that a name cannot make another program open it.
"""

import hashlib
import lzma
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import unquote

from defusedxml import ElementTree
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from procurement.french import file_size, size_over
from procurement.spreadsheets import DOCX, ODS, ODT, PDF, XLSX
from procurement.storage import delete_files_on_commit
from questionnaire.models import Attachment, Draft

PNG = "image/png"
JPEG = "image/jpeg"

ACCEPTED_LABELS = {PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", ODT: "ODT", ODS: "ODS", PNG: "PNG", JPEG: "JPEG"}
ACCEPT_ATTRIBUTE = ".pdf,.docx,.odt,.xlsx,.ods,.png,.jpg,.jpeg"
# The extensions under which each type is served back; the first is added to a name that has none of them.
EXTENSIONS = {
    PDF: (".pdf",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
    ODT: (".odt",),
    ODS: (".ods",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
}

# PDF readers look for the header in the first 1,024 bytes: some generators (web scripts) put a byte order mark
# or blank lines before it. Only such invisible bytes may come first; anything else (markup, an executable) would
# make the file something else as well as a PDF.
_PDF_HEADER = b"%PDF-"
_PDF_HEADER_WINDOW = 1024
_PDF_ALLOWED_PREFIX = frozenset(b"\xef\xbb\xbf\x00\t\n\x0c\r ")

# The content type of the main part of each OOXML document, in [Content_Types].xml. Macro-enabled variants
# (docm, xlsm) and templates declare other types and are refused. Content types are compared without case or
# parameters (RFC 2045).
_OOXML_MAIN_PARTS = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
# Transitional and Strict OOXML name the main part's relationship with these two types.
_OFFICE_DOCUMENT_RELATIONSHIPS = frozenset(
    {
        "http://schemas.openxmlformats.org/officedocument/2006/relationships/officedocument",
        "http://purl.oclc.org/ooxml/officedocument/relationships/officedocument",
    }
)
_OPENDOCUMENT = {ODT.encode(): ODT, ODS.encode(): ODS}
_PACKAGE_XML_MAX_BYTES = 256 * 1024
# Where an OpenDocument keeps its macros: LibreOffice writes a Basic library as Basic/<library>/<module>.xml (with
# Basic/script-lc.xml), and scripts in other languages (Python, BeanShell, JavaScript) under Scripts/<language>/;
# its manifest (META-INF/manifest.xml) lists them. Every document LibreOffice saves also holds Configurations2/
# (menus and toolbars, of type application/vnd.sun.xml.ui.configuration): no code, accepted.
_OPENDOCUMENT_MACRO_FOLDERS = ("basic/", "scripts/")
_MANIFEST_FULL_PATH = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}full-path"


# Office's macro-enabled documents (the type their main part declares): their name and what to save them as instead.
_OOXML_MACRO_TYPES = {
    "application/vnd.ms-word.document.macroenabled.main+xml": ("DOCM", "«\u00a0Document Word (.docx)\u00a0»"),
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml": ("DOTM", "«\u00a0Document Word (.docx)\u00a0»"),
    "application/vnd.ms-excel.sheet.macroenabled.main+xml": ("XLSM", "«\u00a0Classeur Excel (.xlsx)\u00a0»"),
    "application/vnd.ms-excel.template.macroenabled.main+xml": ("XLTM", "«\u00a0Classeur Excel (.xlsx)\u00a0»"),
}


class MacroDocument(Exception):
    """The file is a document that holds (or is made to hold) macros; its text says which and what to do, in French
    (« ce document ODT contient des macros… »), to follow « « nom » n'est pas accepté : »."""


def _opendocument_macros(label: str) -> MacroDocument:
    return MacroDocument(
        f"ce document {label} contient des macros (du code Basic ou d'un autre langage), refusées pour votre "
        "sécurité. Supprimez-les (Outils, Macros, Gérer les macros) ou exportez le document en PDF"
    )


def _office_macros(label: str, save_as: str) -> MacroDocument:
    return MacroDocument(
        f"ce document est au format {label}, qui porte des macros (du code VBA), refusées pour votre sécurité. "
        f"Enregistrez-le au format {save_as} ou exportez-le en PDF"
    )


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def sniff_content_type(upload) -> str | None:
    """The accepted type the content shows, or None (also for a document holding macros)."""
    try:
        return _sniff(upload)
    except MacroDocument:
        return None


def _sniff(upload) -> str | None:
    """The accepted type the content shows, or None; MacroDocument for a document holding macros."""
    upload.seek(0)
    head = upload.read(_PDF_HEADER_WINDOW + len(_PDF_HEADER))
    upload.seek(0)
    if _is_pdf(head):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(upload)
    return None


def _is_pdf(head: bytes) -> bool:
    position = head.find(_PDF_HEADER, 0, _PDF_HEADER_WINDOW + len(_PDF_HEADER))
    return position != -1 and all(byte in _PDF_ALLOWED_PREFIX for byte in head[:position])


def _read_capped(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, limit: int) -> bytes | None:
    if info is None or info.file_size > limit:
        return None
    with archive.open(info) as entry:
        return entry.read(limit + 1)[:limit]


def _sniff_zip(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            # Part names are compared without case (OPC); some writers separate folders with "\\", which Office
            # reads as "/".
            entries = {info.filename.replace("\\", "/").lower(): info for info in archive.infolist()}
            content_types = entries.get("[content_types].xml")
            if "mimetype" in entries:
                # An OpenDocument that is also an OOXML package is two documents in one: refused.
                if content_types is not None:
                    return None
                mimetype = _read_capped(archive, entries["mimetype"], 100)
                content_type = _OPENDOCUMENT.get((mimetype or b"").strip())
                if content_type is not None and _holds_opendocument_macros(archive, entries):
                    raise _opendocument_macros(ACCEPTED_LABELS[content_type])
                return content_type
            if content_types is None:
                return None
            return _sniff_ooxml(archive, entries, content_types)
    except (
        zipfile.BadZipFile,
        OSError,
        RuntimeError,
        NotImplementedError,
        EOFError,
        ValueError,
        zlib.error,
        lzma.LZMAError,
    ):
        # A damaged archive: its compressed bytes raise their decompressor's own error (zlib, lzma), an entry's
        # offset out of the file a ValueError ("negative seek value").
        return None
    finally:
        upload.seek(0)


def _holds_opendocument_macros(archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo]) -> bool:
    """Whether the package holds or declares macros: a part under Basic/ or Scripts/, by its name in the zip (read
    without case, as `entries` holds them) or in its manifest (read with a size cap: LibreOffice writes a few
    kilobytes; one too large or unreadable declares nothing, the names of the zip still tell)."""
    if any(_part_name(name).startswith(_OPENDOCUMENT_MACRO_FOLDERS) for name in entries):
        return True
    manifest = _parse_package_xml(archive, entries.get("meta-inf/manifest.xml"))
    if manifest is None:
        return False
    return any(
        _part_name(element.get(_MANIFEST_FULL_PATH) or "").startswith(_OPENDOCUMENT_MACRO_FOLDERS)
        for element in manifest.iter()
        if _local_name(element.tag) == "file-entry"
    )


def _sniff_ooxml(archive: zipfile.ZipFile, entries: dict[str, zipfile.ZipInfo], content_types) -> str | None:
    """The type of the part that `_rels/.rels` names as the main document, declared by an Override for that part
    or by the Default of its extension; None if the package declares or holds a macro project beside a main part of
    an accepted type (a forgery); MacroDocument for a macro-enabled document (DOCM, XLSM…)."""
    declared = _parse_package_xml(archive, content_types)
    relationships = _parse_package_xml(archive, entries.get("_rels/.rels"))
    if declared is None or relationships is None:
        return None
    defaults, overrides = {}, {}
    holds_macros = any(posixpath.basename(name).startswith("vbaproject") for name in entries)
    for element in declared.iter():
        kind = _local_name(element.tag)
        content_type = (element.get("ContentType") or "").split(";")[0].strip().lower()
        holds_macros = holds_macros or "vbaproject" in content_type
        if kind == "Default":
            defaults[(element.get("Extension") or "").lower()] = content_type
        elif kind == "Override":
            overrides[_part_name(element.get("PartName") or "")] = content_type
    main_parts = [
        _part_name(element.get("Target") or "")
        for element in relationships.iter()
        if _local_name(element.tag) == "Relationship"
        and (element.get("Type") or "").lower() in _OFFICE_DOCUMENT_RELATIONSHIPS
        and (element.get("TargetMode") or "Internal") == "Internal"
    ]
    if len(main_parts) != 1 or main_parts[0] not in entries:
        return None
    main_part = main_parts[0]
    content_type = overrides.get(main_part) or defaults.get(posixpath.splitext(main_part)[1].lstrip("."))
    if content_type in _OOXML_MACRO_TYPES:
        raise _office_macros(*_OOXML_MACRO_TYPES[content_type])
    if holds_macros:
        return None
    return _OOXML_MAIN_PARTS.get(content_type)


def _parse_package_xml(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None):
    content = _read_capped(archive, info, _PACKAGE_XML_MAX_BYTES)
    if content is None:
        return None
    try:
        return ElementTree.fromstring(content)
    except (SyntaxError, ValueError, LookupError):
        # A malformed part, defusedxml's refusal of entities and DTDs, or an encoding Python does not know
        # (`<?xml version="1.0" encoding="x"?>` raises LookupError).
        return None


def _local_name(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _part_name(reference: str) -> str:
    """A part's zip entry name (lowercase) from a package-relative reference such as "/word/document.xml"."""
    return posixpath.normpath("/" + unquote(reference)).lstrip("/").lower()


def download_name(*, original_name: str, content_type: str) -> str:
    """The name a stored file is served under: the name it was joined with, given the extension of its type when
    it has none of them ("plan.docm" holding a DOCX is served as "plan.docm.docx"), so that the program that
    opens it is chosen by what it holds."""
    extensions = EXTENSIONS.get(content_type)
    if not extensions or original_name.lower().endswith(extensions):
        return original_name
    return original_name + extensions[0]


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Raises a French ValidationError naming the file when its size or its content is not accepted."""
    name = upload.name or "fichier"
    limit = settings.ANNEX_MAX_ATTACHMENT_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"«\u00a0{name}\u00a0» pèse {size_over(upload.size, limit)}\u00a0: un fichier ne doit pas dépasser "
            f"{file_size(limit)}. Réduisez-le ou joignez un extrait."
        )
    if upload.size == 0:
        raise ValidationError(f"«\u00a0{name}\u00a0» est vide\u00a0: choisissez un autre fichier.")
    try:
        content_type = _sniff(upload)
    except MacroDocument as macros:
        raise ValidationError(
            f"«\u00a0{name}\u00a0» n'est pas accepté\u00a0: {macros}, puis joignez-le à nouveau."
        ) from None
    if content_type is None:
        raise ValidationError(
            f"«\u00a0{name}\u00a0» n'est pas accepté\u00a0: son contenu n'est pas celui d'un fichier PDF, DOCX, ODT, "
            "XLSX, ODS, PNG ou JPEG (le type est lu dans le fichier, pas dans son nom). Enregistrez-le dans l'un "
            "de ces formats puis joignez-le à nouveau."
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(content_type=content_type, size=upload.size, sha256=digest.hexdigest())


def check_room(*, already_attached: int, adding: int) -> None:
    """At most settings.ANNEX_MAX_ATTACHMENTS files per draft."""
    room = settings.ANNEX_MAX_ATTACHMENTS - already_attached
    if adding > room:
        raise ValidationError(
            f"Vous pouvez joindre {settings.ANNEX_MAX_ATTACHMENTS} fichiers au plus\u00a0: "
            f"retirez-en {adding - room} ou supprimez un fichier déjà joint."
        )


@transaction.atomic
def attach_files(*, draft: Draft, files: list[tuple[UploadedFile, CheckedFile]]) -> list[Attachment]:
    """Stores checked uploads against the draft; they follow the response once it is submitted.

    The files already joined are counted under a lock of the draft's row, so that uploads sent at the same time
    (two tabs, a double click) are counted one after the other and never pass the cap together.
    """
    Draft.objects.select_for_update().only("pk").get(pk=draft.pk)
    check_room(
        already_attached=Attachment.objects.filter(draft_id=draft.pk, response__isnull=True).count(),
        adding=len(files),
    )
    stored = []
    for upload, checked in files:
        attachment = Attachment(
            organisation_id=draft.organisation_id,
            draft=draft,
            original_name=(upload.name or "fichier")[:255],
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
        )
        attachment.file.save("piece-jointe", upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


@transaction.atomic
def remove_attachment(*, draft: Draft, attachment_id: int) -> bool:
    """Removes a file of a draft not yet submitted; another draft's file is out of reach."""
    attachment = Attachment.objects.filter(pk=attachment_id, draft=draft, response__isnull=True).first()
    if attachment is None:
        return False
    name = attachment.file.name
    attachment.delete()
    delete_files_on_commit(Attachment._meta.get_field("file").storage, [name])
    return True
