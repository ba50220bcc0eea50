"""Generated documents that do not change between downloads (the paper fiche de renseignements, the annex
receipt): rendered once, kept under a digest of everything they show, served from there afterwards
(docs/formats.md, « Documents générés »).

- `rendered_once`: the cache rule. The key is a digest of the document's inputs (the text it shows, the version of
  its layout), so any change of what it shows is a new key: nothing to invalidate by hand, and an old version
  simply expires. The bytes live in Django's cache (Redis in production, shared by every worker).
- `html_to_pdf`: every PDF of the platform, tagged for screen readers (PDF/UA-1 with WeasyPrint), its language
  read from the page's `lang`;
- `organisation_logo`, `image_data_uri`: the buyer's logo, when it has one, for the documents' headers.
"""

import base64
import hashlib
import logging
from collections.abc import Callable, Iterable

from django.core.cache import cache

from procurement.models import Organisation
from procurement.validators import logo_content_type

logger = logging.getLogger(__name__)

# A generated document stays this long after its last rendering; a new version of its inputs is a new key.
DOCUMENT_CACHE_SECONDS = 30 * 24 * 60 * 60
PDF_VARIANT = "pdf/ua-1"


def content_digest(parts: Iterable[str | bytes]) -> str:
    """SHA-256 of the parts, each length-prefixed so that ("ab", "c") and ("a", "bc") differ."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else bytes(part)
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def document_key(*, kind: str, inputs: Iterable[str | bytes]) -> str:
    return f"document:{kind}:{content_digest(inputs)}"


def rendered_once(*, kind: str, inputs: Iterable[str | bytes], render: Callable[[], bytes]) -> bytes:
    """The document of this kind for these inputs: from the cache, else `render()` once and kept.

    `inputs` must hold everything the document shows and the version of its layout: two calls with the same inputs
    get the same bytes."""
    key = document_key(kind=kind, inputs=inputs)
    content = cache.get(key)
    if content is None:
        content = render()
        cache.set(key, content, timeout=DOCUMENT_CACHE_SECONDS)
    return content


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1: structure tree, title, language from `<html lang>`) of a self-contained page."""
    import weasyprint  # imported here: loading pango takes time and only PDF rendering needs it

    return weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def organisation_logo(organisation: Organisation) -> bytes:
    """The bytes of the buyer's logo; empty when it has none, when its file is missing or is not PNG or JPEG (a
    logo stored before `validate_logo` existed)."""
    if not organisation.logo:
        return b""
    try:
        with organisation.logo.open("rb") as logo:
            data = logo.read()
    except OSError:
        logger.warning("Logo introuvable pour l'organisation %s", organisation.pk)
        return b""
    return data if image_data_uri(data) else b""


def image_data_uri(data: bytes) -> str:
    """A `data:` URI of a PNG or JPEG image (empty for anything else), for a self-contained page."""
    content_type = logo_content_type(data)
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}" if content_type else ""
