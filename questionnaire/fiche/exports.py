"""The fiche de renseignements of a market, for the pièces candidature: DOCX (our OOXML writer) and PDF.

Both carry the questionnaire on paper (its wording in `texts`), the buyer's encart as introduction, the market's
reference and the link (with its QR code) to answer online.
"""

import base64

from django.template.loader import render_to_string
from lxml import etree

from procurement.links import qr_png
from procurement.specifications.docx import markup, ooxml
from procurement.specifications.docx.markup import Span
from procurement.specifications.docx.package import TEXT_WIDTH, write_package
from procurement.templatetags.encart import encart_html
from questionnaire.fiche import texts as wording
from questionnaire.fiche.selectors import FicheContext

CHECKBOX = "☐"


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


def _encart(context: FicheContext, writer: ooxml.ParagraphWriter) -> list[etree._Element]:
    """The buyer's validated encart; nothing when it has none yet."""
    if not context.encart_body:
        return []
    title = writer.paragraph([Span(context.encart_title, bold=True)], keep_next=True)
    return [title, *writer.blocks(markup.parse(context.encart_body))]


def _fiche_body(context: FicheContext, writer: ooxml.ParagraphWriter, image_id: str) -> list[etree._Element]:
    def para(text: str = "", *, bold: bool = False, size: int | None = None, keep_next: bool = False):
        return writer.paragraph([Span(text, bold=bold)] if text else [], size_half_points=size, keep_next=keep_next)

    def heading(text: str):
        return writer.paragraph([Span(text, bold=True)], size_half_points=24, keep_next=True, space_after=120)

    elements = [
        para(context.organisation_name, bold=True),
        para(f"Marché {context.market_reference} — {context.market_title}"),
        writer.paragraph([Span(wording.FICHE_TITLE, bold=True)], size_half_points=32, space_after=240),
        *_encart(context, writer),
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
        _table(wording.STAFF_COLUMNS, _staff_rows()),
        para(wording.NON_BINARY_NOTE, size=16),
        para(wording.BOARD_QUESTION, keep_next=True),
        para(_boxes(wording.YES_NO_CHOICES)),
        para(wording.BOARD_SHARE),
        para(wording.OFFICERS_QUESTION, keep_next=True),
        _table(
            wording.OFFICERS_COLUMNS,
            [[row] + [CHECKBOX] * len(wording.OFFICERS_CHOICES) for row in wording.OFFICERS_ROWS],
        ),
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
                [Span(commitment, bold=True), Span(f"    {_boxes(wording.YES_NO_CHOICES)}")], keep_next=True
            ),
            para(f"{wording.COMMITMENT_DETAIL} :", keep_next=True),
            para(wording.DOTTED_LINE, keep_next=True),
            para(wording.DOTTED_LINE),
        ]
    elements.append(para(wording.ATTACHMENTS, bold=True))
    return elements


def _boxes(choices: list[str]) -> str:
    return "    ".join(f"{CHECKBOX} {choice}" for choice in choices)


def _staff_rows() -> list[list[str]]:
    """One row per scope and the total, with empty cells to fill in."""
    return [[row] + [""] * (len(wording.STAFF_COLUMNS) - 1) for row in wording.STAFF_ROWS]


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


def fiche_html(context: FicheContext) -> str:
    qr = base64.b64encode(qr_png(context.annex_url)).decode("ascii")
    return render_to_string(
        "questionnaire/fiche/fiche_pdf.html",
        {
            "fiche": context,
            "wording": wording,
            "encart_html": encart_html(context.encart_body),
            "qr_data_uri": f"data:image/png;base64,{qr}",
            "staff_rows": _staff_rows(),
            "officer_rows": wording.OFFICERS_ROWS,
            "officer_cells": wording.OFFICERS_CHOICES,
            "policy_lines": range(wording.POLICY_LINES),
            "checkbox": CHECKBOX,
        },
    )


def fiche_pdf(context: FicheContext) -> bytes:
    import weasyprint  # imported here: loading pango takes time and only this function needs it

    return weasyprint.HTML(string=fiche_html(context)).write_pdf()
