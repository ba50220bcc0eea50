"""Writes a complete .docx (A4, Arial 10 pt) from body elements: the fiche de renseignements and the demo's
cahiers des charges are made with it."""

import io
import zipfile

from lxml import etree

from procurement.specifications.docx import ooxml
from procurement.specifications.docx.markup import Span

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 11906, 16838, 1134  # A4, 2 cm margins, in twentieths of a point
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
DATE_TIME = (2026, 1, 1, 0, 0, 0)

CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="{ooxml.CT_NS}"><Default Extension="rels" ContentType="{ooxml.CT_RELATIONSHIPS}"/>\
<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>\
<Override PartName="/word/document.xml" ContentType="{ooxml.CT_DOCUMENT_MAIN}"/>\
<Override PartName="/word/styles.xml" \
ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/></Types>"""
PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{ooxml.PKG_REL_NS}"><Relationship Id="rId1" Type="{ooxml.REL_OFFICE_DOCUMENT}" \
Target="word/document.xml"/></Relationships>"""
STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{ooxml.W_NS}"><w:docDefaults><w:rPrDefault><w:rPr>\
<w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="20"/><w:szCs w:val="20"/>\
<w:lang w:val="fr-FR"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="100" w:line="264" \
w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" \
w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style></w:styles>"""

# The one picture of a document written here (the link's QR code): the part it is stored at and its size.
QR_MEDIA = "word/media/qr.png"
QR_SIZE_EMU = 900_000  # 2.5 cm


def qr_paragraph(*, rel_id: str, description: str) -> etree._Element:
    """The paragraph showing the QR code stored at QR_MEDIA (relationship `rel_id`)."""
    return ooxml.picture_paragraph(
        rel_id=rel_id, docpr_id=1, size_emu=QR_SIZE_EMU, name="QR code", description=description
    )


def write_package(
    body_elements: list[etree._Element], *, relationships: ooxml.Relationships, media: dict[str, bytes]
) -> bytes:
    """A complete .docx (A4, Arial 10 pt) around the given body elements; `relationships` must hold styles."""
    document = etree.Element(ooxml.w("document"), nsmap={"w": ooxml.W_NS, "r": ooxml.R_NS})
    body = etree.SubElement(document, ooxml.W_BODY)
    body.extend(body_elements)
    body.append(_section_properties())
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in [
            ("[Content_Types].xml", CONTENT_TYPES.encode()),
            ("_rels/.rels", PACKAGE_RELS.encode()),
            ("word/document.xml", ooxml.serialize(document)),
            ("word/_rels/document.xml.rels", ooxml.serialize(relationships.root)),
            ("word/styles.xml", STYLES.encode()),
            *media.items(),
        ]:
            archive.writestr(zipfile.ZipInfo(name, date_time=DATE_TIME), data, zipfile.ZIP_DEFLATED)
    return output.getvalue()


def simple_docx(paragraphs: list[tuple[str, bool]]) -> bytes:
    """A plain document of (text, is_heading) paragraphs: the demo's cahiers des charges."""
    relationships = ooxml.Relationships()
    relationships.add(ooxml.REL_STYLES, "styles.xml")
    writer = ooxml.ParagraphWriter(relationships.hyperlink)
    elements = [
        writer.paragraph([Span(text, bold=heading)], keep_next=heading, size_half_points=24 if heading else None)
        for text, heading in paragraphs
    ]
    return write_package(elements, relationships=relationships, media={})


def _section_properties() -> etree._Element:
    w = ooxml.w
    section = etree.Element(ooxml.W_SECTPR)
    etree.SubElement(section, w("pgSz"), {w("w"): str(PAGE_WIDTH), w("h"): str(PAGE_HEIGHT)})
    margins = {side: str(MARGIN) for side in ("top", "right", "bottom", "left")}
    margins.update(header="567", footer="567", gutter="0")
    etree.SubElement(section, w("pgMar"), {w(key): value for key, value in margins.items()})
    return section
