"""The fiche de renseignements of a market, for the pièces candidature: DOCX (our OOXML writer) and PDF.

Both carry the seed's paper questionnaire, the buyer's encart as introduction, the market's reference and
the link (with its QR code) to answer online.
"""

import base64
import io
import zipfile

from django.template.loader import render_to_string
from lxml import etree

from procurement.links import qr_png
from procurement.specifications import texts as wording
from procurement.specifications.docx import markup, ooxml
from procurement.specifications.docx.markup import Span
from procurement.specifications.texts import FicheContext
from procurement.templatetags.encart import encart_html

PAGE_WIDTH, PAGE_HEIGHT, MARGIN = 11906, 16838, 1134  # A4, 2 cm margins, in twentieths of a point
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
CHECKBOX = "☐"
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


def fiche_docx(context: FicheContext) -> bytes:
    relationships = ooxml.Relationships()
    relationships.add(ooxml.REL_STYLES, "styles.xml")
    image_id = relationships.add(ooxml.REL_IMAGE, "media/qr.png")
    writer = ooxml.ParagraphWriter(relationships.hyperlink)
    return write_package(
        _fiche_body(context, writer, image_id),
        relationships=relationships,
        media={"word/media/qr.png": qr_png(context.annex_url)},
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


def _fiche_body(context: FicheContext, writer: ooxml.ParagraphWriter, image_id: str) -> list[etree._Element]:
    def para(text: str = "", *, bold: bool = False, size: int | None = None, keep_next: bool = False):
        return writer.paragraph([Span(text, bold=bold)] if text else [], size_half_points=size, keep_next=keep_next)

    def heading(text: str):
        return writer.paragraph([Span(text, bold=True)], size_half_points=24, keep_next=True, space_after=120)

    elements = [
        para(context.organisation_name, bold=True),
        para(f"Marché {context.market_reference} — {context.market_title}"),
        writer.paragraph([Span(wording.FICHE_TITLE, bold=True)], size_half_points=32, space_after=240),
        para(context.encart_title, bold=True, keep_next=True),
        *writer.blocks(markup.parse(context.encart_body)),
        *(para(sentence) for sentence in wording.FICHE_NOTICE),
        writer.paragraph(
            [
                Span(f"Marché {context.market_reference} : vous pouvez aussi répondre en ligne à l'adresse "),
                Span(context.annex_url, href=context.annex_url),
                Span(" ou en scannant le QR code ci-dessous."),
            ],
            keep_next=True,
        ),
        ooxml.picture_paragraph(
            rel_id=image_id,
            docpr_id=1,
            size_emu=900_000,
            name="QR code",
            description=f"QR code du questionnaire en ligne du marché {context.market_reference}",
        ),
        heading(wording.STAFF_SECTION),
        _table(wording.STAFF_COLUMNS, [[row] + [""] * 5 for row in wording.STAFF_ROWS]),
        para(wording.NON_BINARY_NOTE, size=16),
        para(wording.BOARD_QUESTION, keep_next=True),
        para("    ".join(f"{CHECKBOX} {choice}" for choice in wording.BOARD_CHOICES)),
        para(wording.BOARD_SHARE),
        para(wording.OFFICERS_QUESTION, keep_next=True),
        _table(wording.OFFICERS_COLUMNS, [[row] + [CHECKBOX] * 4 for row in wording.OFFICERS_ROWS]),
        para(),
        para(wording.VOLUNTEERS_SHARE),
        heading(wording.POLICY_SECTION),
        para(wording.POLICY_QUESTION),
        *(para(wording.DOTTED_LINE) for _ in range(wording.POLICY_LINES)),
        para(wording.POLICY_LIMIT, size=16),
        para(wording.INDEX_QUESTION),
        para(wording.INDEX_ANSWER),
        heading(wording.COMMITMENTS_TITLE),
    ]
    for commitment in wording.COMMITMENTS:
        elements += [
            writer.paragraph(
                [Span(commitment, bold=True), Span(f"    {CHECKBOX} Oui    {CHECKBOX} Non")], keep_next=True
            ),
            para(f"{wording.COMMITMENT_DETAIL} :", keep_next=True),
            para(wording.DOTTED_LINE, keep_next=True),
            para(wording.DOTTED_LINE),
        ]
    elements.append(para(wording.ATTACHMENTS, bold=True))
    return elements


def _table(header: list[str], rows: list[list[str]]) -> etree._Element:
    w = ooxml.w
    table = etree.Element(w("tbl"), nsmap={"w": ooxml.W_NS})
    properties = etree.SubElement(table, w("tblPr"))
    etree.SubElement(properties, w("tblW"), {w("w"): "5000", w("type"): "pct"})
    borders = etree.SubElement(properties, w("tblBorders"))
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        etree.SubElement(borders, w(side), {w("val"): "single", w("sz"): "4", w("space"): "0", w("color"): "auto"})
    etree.SubElement(properties, w("tblLook"), {w("val"): "04A0"})
    first = TEXT_WIDTH // 4
    other = (TEXT_WIDTH - first) // (len(header) - 1)
    widths = [first] + [other] * (len(header) - 1)
    grid = etree.SubElement(table, w("tblGrid"))
    for width in widths:
        etree.SubElement(grid, w("gridCol"), {w("w"): str(width)})
    for index, cells in enumerate([header, *rows]):
        row = etree.SubElement(table, w("tr"))
        for position, (text, width) in enumerate(zip(cells, widths, strict=True)):
            cell = etree.SubElement(row, w("tc"))
            cell_properties = etree.SubElement(cell, w("tcPr"))
            etree.SubElement(cell_properties, w("tcW"), {w("w"): str(width), w("type"): "dxa"})
            bold = index == 0 or position == 0
            centered = position > 0
            paragraph = etree.SubElement(cell, ooxml.W_P)
            if centered:
                ppr = etree.SubElement(paragraph, ooxml.W_PPR)
                etree.SubElement(ppr, w("jc"), {w("val"): "center"})
            if text:
                run = etree.SubElement(paragraph, ooxml.W_R)
                if bold:
                    etree.SubElement(etree.SubElement(run, ooxml.W_RPR), w("b"))
                etree.SubElement(run, ooxml.W_T).text = text
    return table


def _section_properties() -> etree._Element:
    w = ooxml.w
    section = etree.Element(ooxml.W_SECTPR)
    etree.SubElement(section, w("pgSz"), {w("w"): str(PAGE_WIDTH), w("h"): str(PAGE_HEIGHT)})
    margins = {side: str(MARGIN) for side in ("top", "right", "bottom", "left")}
    margins.update(header="567", footer="567", gutter="0")
    etree.SubElement(section, w("pgMar"), {w(key): value for key, value in margins.items()})
    return section


def fiche_html(context: FicheContext) -> str:
    qr = base64.b64encode(qr_png(context.annex_url)).decode("ascii")
    return render_to_string(
        "procurement/specifications/fiche_pdf.html",
        {
            "fiche": context,
            "wording": wording,
            "encart_html": encart_html(context.encart_body),
            "qr_data_uri": f"data:image/png;base64,{qr}",
            "staff_rows": [[row] + [""] * 5 for row in wording.STAFF_ROWS],
            "officer_rows": wording.OFFICERS_ROWS,
            "officer_cells": wording.OFFICERS_COLUMNS[1:],
            "policy_lines": range(wording.POLICY_LINES),
            "checkbox": CHECKBOX,
        },
    )


def fiche_pdf(context: FicheContext) -> bytes:
    import weasyprint  # imported here: loading pango takes time and only this function needs it

    return weasyprint.HTML(string=fiche_html(context)).write_pdf()
