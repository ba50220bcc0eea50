"""Files joined to the annex: the type is read from the content (magic bytes), never from the name.

A ".exe" renamed ".pdf" starts with "MZ", not "%PDF-": it is refused. Zip-based formats (DOCX, XLSX, ODT, ODS)
are recognised by their `[Content_Types].xml` or `mimetype` entry, read with a size cap (no zip bomb).
"""

import hashlib
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from procurement.french import file_size
from procurement.spreadsheets import DOCX, ODS, ODT, PDF, XLSX
from procurement.storage import delete_files_on_commit
from questionnaire.models import Attachment, Draft

PNG = "image/png"
JPEG = "image/jpeg"

ACCEPTED_LABELS = {PDF: "PDF", DOCX: "DOCX", XLSX: "XLSX", ODT: "ODT", ODS: "ODS", PNG: "PNG", JPEG: "JPEG"}
ACCEPT_ATTRIBUTE = ".pdf,.docx,.odt,.xlsx,.ods,.png,.jpg,.jpeg"

# The main part of each OOXML document, as declared in [Content_Types].xml. Macro-enabled variants
# (docm, xlsm) declare another type and are refused.
_OOXML_MAIN_PARTS = {
    DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_OPENDOCUMENT = {ODT.encode(): ODT, ODS.encode(): ODS}
_CONTENT_TYPES_MAX_BYTES = 256 * 1024


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    size: int
    sha256: str


def sniff_content_type(upload) -> str | None:
    """The accepted type the content shows, or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(upload)
    return None


def _read_capped(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    if info.file_size > limit:
        return None
    with archive.open(info) as entry:
        return entry.read(limit + 1)[:limit]


def _sniff_zip(upload) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            mimetype = _read_capped(archive, "mimetype", 100)
            if mimetype is not None:
                return _OPENDOCUMENT.get(mimetype.strip())
            content_types = _read_capped(archive, "[Content_Types].xml", _CONTENT_TYPES_MAX_BYTES)
            if content_types is None:
                return None
            for content_type, main_part in _OOXML_MAIN_PARTS.items():
                if main_part in content_types:
                    return content_type
            return None
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None
    finally:
        upload.seek(0)


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Raises a French ValidationError naming the file when its size or its content is not accepted."""
    name = upload.name or "fichier"
    if upload.size > settings.ANNEX_MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            f"«\u00a0{name}\u00a0» pèse {file_size(upload.size)}\u00a0: un fichier ne doit pas dépasser "
            f"{file_size(settings.ANNEX_MAX_ATTACHMENT_BYTES)}. Réduisez-le ou joignez un extrait."
        )
    if upload.size == 0:
        raise ValidationError(f"«\u00a0{name}\u00a0» est vide\u00a0: choisissez un autre fichier.")
    content_type = sniff_content_type(upload)
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
