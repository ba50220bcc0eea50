import io
import zipfile

from lxml import etree

from procurement.links import qr_png
from procurement.models import StampedSpecification
from procurement.specifications.docx import ooxml
from procurement.specifications.docx.stamping import StampTexts
from procurement.specifications.services import stamp_specification
from procurement.specifications.texts import default_base_vie, default_encart

ANNEX_URL = "https://egalite.example/annexe/jeton-du-marche/"
ANNEX_QR_PNG = qr_png(ANNEX_URL)
MAIN = "word/document.xml"
MAIN_RELS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
W = {"w": ooxml.W_NS}


def texts(*, base_vie: bool) -> StampTexts:
    title, body = default_encart(name="Agglomération A", article="l")
    article_title, article_body = default_base_vie() if base_vie else ("", "")
    return StampTexts(
        encart_title=title,
        encart_body=body,
        annex_url=ANNEX_URL,
        market_reference="2026-TRX-001",
        base_vie_title=article_title,
        base_vie_body=article_body,
    )


def stamp(market, content: bytes, *, filename: str = "cahier.docx") -> StampedSpecification:
    """The stamping service on `content`, as a file uploaded with no user, linking to ANNEX_URL."""
    return stamp_specification(market=market, content=content, filename=filename, annex_url=ANNEX_URL, user=None)


def tags_and_attributes(content: bytes) -> int:
    """What the complexity limit counts, computed apart: "<" and "=" of every XML part ([Content_Types].xml
    included)."""
    return sum(
        data.count(b"<") + data.count(b"=")
        for name, data in entries(content).items()
        if name.endswith((".xml", ".rels"))
    )


def entries(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def c14n(element_or_bytes) -> bytes:
    element = etree.fromstring(element_or_bytes) if isinstance(element_or_bytes, bytes) else element_or_bytes
    return etree.tostring(element, method="c14n")


def body_of(content: bytes) -> etree._Element:
    return etree.fromstring(entries(content)[MAIN]).find(ooxml.W_BODY)


def text_of(element: etree._Element) -> str:
    return "".join(node.text or "" for node in element.iter(ooxml.W_T))


def body_texts(content: bytes) -> list[str]:
    """The text of each top-level element of the body (a table gives the text of all its cells)."""
    return [text_of(child) for child in body_of(content)]


def full_text(content: bytes) -> str:
    return "\n".join(text_of(paragraph) for paragraph in body_of(content).iter(ooxml.W_P))
